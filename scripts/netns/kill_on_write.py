#!/usr/bin/env python3
"""SIGKILLs a process the moment it writes to its SQLite database, once armed.

    kill_on_write.py --db DB --pid PID --logs W1.log W2.log ... --after-results K [--timeout 180]

Arms when the worker logs together show K "finished shard" lines (K results are on their way to
the coordinator), then watches DB, DB-wal and DB-shm (size and mtime, polled every ~0.2 ms) and
sends SIGKILL to PID at the first change: the coordinator is then inside, or just after, the
write that records a shard result. Prints one line of JSON: what it saw and when.
Exits 0 after the kill, 1 when the process ended or the timeout passed first.
"""
import argparse
import json
import os
import signal
import sys
import time


def state(paths):
    out = []
    for path in paths:
        try:
            st = os.stat(path)
            out.append((st.st_size, st.st_mtime_ns))
        except FileNotFoundError:
            out.append(None)
    return out


def finished_count(logs):
    total = 0
    for path in logs:
        try:
            with open(path, errors="replace") as f:
                total += sum(1 for line in f if "finished shard" in line)
        except FileNotFoundError:
            pass
    return total


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers signal 0; its state says it is gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--logs", nargs="+", required=True)
    parser.add_argument("--after-results", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    paths = [args.db, args.db + "-wal", args.db + "-shm"]
    deadline = time.monotonic() + args.timeout

    while finished_count(args.logs) < args.after_results:
        if not alive(args.pid) or time.monotonic() > deadline:
            print(json.dumps({"killed": False, "why": "not armed: too few results before the end"}))
            return 1
        time.sleep(0.01)
    armed_at = time.monotonic()
    before = state(paths)
    while True:
        now = state(paths)
        if now != before:
            os.kill(args.pid, signal.SIGKILL)
            seen_at = time.monotonic()
            time.sleep(0.3)
            after = state(paths)
            changed = [os.path.basename(p) for p, b, n in zip(paths, before, now) if b != n]
            print(
                json.dumps(
                    {
                        "killed": True,
                        "after_results": args.after_results,
                        "ms_armed_to_write": round((seen_at - armed_at) * 1000, 1),
                        "changed": changed,
                        "sizes_before": [s and s[0] for s in before],
                        "sizes_at_kill": [s and s[0] for s in now],
                        "sizes_after_kill": [s and s[0] for s in after],
                    }
                )
            )
            return 0
        if not alive(args.pid) or time.monotonic() > deadline:
            print(json.dumps({"killed": False, "why": "no write after arming before the end"}))
            return 1
        time.sleep(0.0002)


if __name__ == "__main__":
    sys.exit(main())
