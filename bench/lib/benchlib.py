"""Helpers shared by the benchmark scripts under bench/: the machine line, binaries, timed runs,
generated suites. Python 3.9+, standard library only."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# Every benchmark runs Python as a developer's machine does: writing bytecode caches, including
# pytest's cache of rewritten test modules. A shell with PYTHONDONTWRITEBYTECODE=1 (the development
# box has it) would make every pytest process re-rewrite every test file it imports — 30 % of a
# small-file session — for plain pytest and TestShard alike. The machine line says when it was unset.
_DONT_WRITE_BYTECODE = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def machine():
    """One line: cores, memory (free -g), load averages — printed at the start and end of each run."""
    try:
        free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()[1].split()
        memory = f"{free[1]} GiB total, {free[6] if len(free) > 6 else '?'} GiB available"
    except Exception:
        memory = "?"
    unset = "; PYTHONDONTWRITEBYTECODE unset for the runs" if _DONT_WRITE_BYTECODE is not None else ""
    return f"nproc {os.cpu_count()}, memory {memory}, load {load()}{unset}"


def load():
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def binary(name, explicit=None):
    """A release binary of this repository (`swift build -c release` first)."""
    path = explicit or os.path.join(REPO, ".build", "release", name)
    if not os.access(path, os.X_OK):
        sys.exit(f"{path} is missing: run `swift build -c release` in {REPO} first")
    return path


def run(cmd, cwd=None, env=None, log=None, timeout=None, check=False):
    """Runs `cmd`; returns (wall seconds, exit status). Output goes to `log` (a path) or is dropped."""
    extra = dict(os.environ)
    extra.update(env or {})
    out = open(log, "w") if log else subprocess.DEVNULL
    try:
        start = time.monotonic()
        status = subprocess.run(cmd, cwd=cwd, env=extra, stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
        wall = time.monotonic() - start
    finally:
        if log:
            out.close()
    if check and status != 0:
        sys.exit(f"{' '.join(cmd)} exited {status}" + (f"; see {log}" if log else ""))
    return wall, status


def fresh_dir(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def write_config(root, command, include='["tests/**/test_*.py"]', extra=""):
    with open(os.path.join(root, "testshard.toml"), "w") as handle:
        handle.write(f'[suite]\nname = "{os.path.basename(root)}"\ninclude = {include}\n'
                     f"command = {json.dumps(command)}\n{extra}")


def token_file(path):
    """A fresh shared token with mode 0600 (the coordinator refuses world-readable ones)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(os.urandom(32).hex() + "\n")
    os.chmod(path, 0o600)
    return path


def last_run(db):
    """The id, start and end of the newest run in a history database."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT id, started_at, ended_at, exit_status FROM run WHERE kind = 'run' ORDER BY started_at DESC LIMIT 1"
        ).fetchone()


def shard_rows(db, run_id):
    """(shard, attempt, worker, slot, items, started, ended, exit kind) of the accepted shard attempts."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT shard_id, attempt, worker_name, slot, json_array_length(items), started_at, ended_at, exit_kind "
            "FROM shard_attempt WHERE run_id = ? AND accepted = 1 ORDER BY started_at",
            (run_id,),
        ).fetchall()


def junit_counts(path):
    """(tests, failures+errors, skipped) of a JUnit file, counted from its <testcase> elements."""
    import xml.etree.ElementTree as ET
    tests = failed = skipped = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        tests += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
    return tests, failed, skipped


class Background:
    """A process started in its own session, stopped with SIGTERM (then SIGKILL) by its id."""

    def __init__(self, cmd, cwd=None, env=None, log=None):
        extra = dict(os.environ)
        extra.update(env or {})
        self.log = open(log, "w") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=extra, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def stop(self, grace=10):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log is not subprocess.DEVNULL:
            self.log.close()
        return self.proc.returncode


def median(values):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, int(-(-p / 100 * len(ordered) // 1)) - 1))
    return ordered[rank]


def run_timeline(db, run_id):
    """Where a TestShard run's time went, from its history database: a dict with `start`, `end`
    (the run's own times), `first_shard` (first shard start), `last_shard` (last shard end) and
    `shards`, a list of (worker, items, wall seconds, the tests' own seconds from JUnit) for the
    accepted shard attempts. A shard's wall minus its tests' time is what it cost beyond the tests:
    the process start, imports, conftests, collection, the JUnit file."""
    with sqlite3.connect(db) as conn:
        start, end = conn.execute("SELECT started_at, ended_at FROM run WHERE id = ?", (run_id,)).fetchone()
        rows = conn.execute(
            "SELECT s.worker_name, json_array_length(s.items), s.ended_at - s.started_at, "
            "COALESCE((SELECT SUM(t.duration) FROM test_attempt t WHERE t.shard_attempt_id = s.id), 0), "
            "s.started_at, s.ended_at "
            "FROM shard_attempt s WHERE s.run_id = ? AND s.accepted = 1 ORDER BY s.started_at",
            (run_id,),
        ).fetchall()
    return {
        "start": start,
        "end": end,
        "first_shard": min((r[4] for r in rows), default=start),
        "last_shard": max((r[5] for r in rows), default=end),
        "shards": [(r[0], r[1], r[2], r[3]) for r in rows],
    }


def describe_timeline(timeline):
    """One paragraph for `run_timeline`'s result."""
    shards = timeline["shards"]
    overhead = [wall - tests for _, _, wall, tests in shards]
    return (
        f"{len(shards)} shards; run start to first shard {timeline['first_shard'] - timeline['start']:.2f} s, "
        f"last shard end to run end {timeline['end'] - timeline['last_shard']:.2f} s; per shard beyond its tests "
        f"(start, imports, collection, JUnit): total {sum(overhead):.1f} s, median {median(overhead):.2f} s, "
        f"max {max(overhead, default=0):.2f} s; tests' own time {sum(s[3] for s in shards):.1f} s"
    )
