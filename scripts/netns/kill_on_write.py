#!/usr/bin/env python3
"""SIGKILLs a process while it writes to its SQLite database, once armed.

    kill_on_write.py --db DB --pid PID [--logs W1.log ... --after-results K]
                     [--delay-after-write S] [--observe] [--timeout 180]

Arms when the worker logs together show K "finished shard" lines (K results are on their way to
the coordinator; K = 0 arms at once), then watches DB, DB-wal and DB-shm (size and mtime, polled
every ~0.2 ms; with --wal-growth only the -wal file growing counts). At the first change it waits --delay-after-write seconds (0: none) and sends SIGKILL
to PID: with no delay the coordinator is inside, or just after, the write that records a shard
result; with a delay shorter than a long write transaction (an `import`), the kill lands inside it.
With --observe it kills nothing and reports how long the process wrote (first change to exit).
Prints one line of JSON: what it saw and when. Exits 0 after the kill (or the observation), 1 when
the process ended before the kill or the timeout passed first.
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
    parser.add_argument("--logs", nargs="*", default=[])
    parser.add_argument("--after-results", type=int, default=0)
    parser.add_argument("--delay-after-write", type=float, default=0)
    parser.add_argument("--observe", action="store_true")
    # Opening a database creates its -wal and -shm files before anything is written: for a process
    # started after arming, only a growing -wal says that a write transaction has begun.
    parser.add_argument("--wal-growth", action="store_true", help="a write is the -wal file growing past its size at arming")
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
    def written(now):
        if args.wal_growth:
            return (now[1] or (0, 0))[0] > (before[1] or (0, 0))[0]
        return now != before

    while True:
        now = state(paths)
        if written(now):
            first_write_at = time.monotonic()
            if args.observe:
                while alive(args.pid):
                    time.sleep(0.005)
                print(json.dumps({"observed": True, "seconds_writing": round(time.monotonic() - first_write_at, 3)}))
                return 0
            while time.monotonic() - first_write_at < args.delay_after_write:
                if not alive(args.pid):
                    print(json.dumps({"killed": False, "why": f"the process ended {round(time.monotonic() - first_write_at, 3)} s after its first write, before the kill"}))
                    return 1
                time.sleep(0.001)
            os.kill(args.pid, signal.SIGKILL)
            seen_at = time.monotonic()
            now = state(paths)
            time.sleep(0.3)
            after = state(paths)
            changed = [os.path.basename(p) for p, b, n in zip(paths, before, now) if b != n]
            print(
                json.dumps(
                    {
                        "killed": True,
                        "after_results": args.after_results,
                        "ms_armed_to_first_write": round((first_write_at - armed_at) * 1000, 1),
                        "ms_first_write_to_kill": round((seen_at - first_write_at) * 1000, 1),
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
