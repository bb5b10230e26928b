#!/usr/bin/env python3
"""What an interpreter kept warm between shards would save (issue 8: the remedy BENCHMARKS.md
names for items 2-4). A measurement, not TestShard code.

    python3 bench/warm/fork_probe.py SUITE_ROOT FILE [FILE ...]

Runs each FILE as a shard of one file twice: as a fresh `python3 -m pytest` process (what a
worker does today), and as a child forked from this process after it imported pytest and the
installed pytest plugins once (what a warm worker slot would do). Same arguments, bytecode caches
on; prints the median wall of each. Try it on the benchmarks' generated suites, e.g.
/tmp/testshard-bench-noise/suite (bench/noise/noise.py) or /tmp/testshard-bench-seed/suite
(bench/seed/seed_scale.py).
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402  (also unsets PYTHONDONTWRITEBYTECODE)

ARGS = ["-q", "-p", "no:cacheprovider", "-o", "junit_family=xunit1"]


def fresh(path, junit):
    started = time.monotonic()
    subprocess.run(["python3", "-m", "pytest", *ARGS, f"--junitxml={junit}", path],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def forked(pytest, path, junit):
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os._exit(int(pytest.main([*ARGS, f"--junitxml={junit}", path])))
    os.waitpid(pid, 0)
    return time.monotonic() - started


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    root, files = sys.argv[1], sys.argv[2:]
    print(B.machine())
    os.chdir(root)
    junit = os.path.join(root, ".fork-probe.xml")
    cold = sorted(fresh(path, junit) for path in files)
    started = time.monotonic()
    import pytest
    from importlib.metadata import entry_points
    for plugin in entry_points(group="pytest11"):
        try:
            plugin.load()
        except Exception:
            pass
    warm_up = time.monotonic() - started
    warm = sorted(forked(pytest, path, junit) for path in files)
    os.remove(junit)
    print(f"{len(files)} shards of one file: fresh process median {B.median(cold):.3f} s, "
          f"forked from a warm interpreter median {B.median(warm):.3f} s "
          f"(warm-up once: {warm_up:.2f} s)")
    print(f"load after: {B.load()}")


if __name__ == "__main__":
    main()
