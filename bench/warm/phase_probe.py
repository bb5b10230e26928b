#!/usr/bin/env python3
"""Where a warm-started shard's time goes beyond its tests (issue 8.2). A measurement, not
TestShard code.

    python3 bench/warm/phase_probe.py SUITE_ROOT SHARD [SHARD ...] [--repeat 5] [--pytest-args "..."]

Each SHARD is a comma-separated list of test files under SUITE_ROOT. Like a TestShard worker's warm
start (`PytestWarmStart`), this process imports pytest and its built-in plugins once, then forks one
child per shard that runs `pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml=...
[--pytest-args] FILES`. A small plugin in the child notes the time since the fork at each phase;
the parent notes the child's exit. Prints the median over every shard and repetition of:
configure, session start, collection done, last test done, session end (JUnit written, terminal
summary printed), unconfigure, atexit, exit. TestShard's own progress plugin is not loaded.

E.g. on bench/noise/noise.py's suite (/tmp/testshard-bench-noise/suite): compare the default with
--pytest-args "-p no:hypothesispytest" to see what an installed plugin costs each session.
"""
import argparse
import importlib
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402  (also unsets PYTHONDONTWRITEBYTECODE, as the other scripts do)

PLUGIN = '''
import atexit, json, os, time
import pytest
T0 = float(os.environ["PHASE_PROBE_T0"])
FD = int(os.environ["PHASE_PROBE_FD"])
marks = {}
def mark(name):
    marks[name] = time.monotonic() - T0
def pytest_configure(config):
    mark("configure")
def pytest_sessionstart(session):
    mark("session start")
def pytest_collection_finish(session):
    mark("collection done")
@pytest.hookimpl(hookwrapper=True)
def pytest_runtestloop(session):
    yield
    mark("last test done")
@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_sessionfinish(session):
    yield
    mark("session end")
@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    mark("unconfigure")
    def done():
        mark("atexit")
        os.write(FD, (json.dumps(marks) + "\\n").encode())
    atexit.register(done)
'''
PHASES = ["configure", "session start", "collection done", "last test done", "session end", "unconfigure",
          "atexit", "exit"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root")
    parser.add_argument("shards", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pytest-args", default="")
    options = parser.parse_args()
    print(B.machine())
    plugin_folder = tempfile.mkdtemp(prefix="phase-probe-")
    with open(os.path.join(plugin_folder, "phase_probe_plugin.py"), "w") as handle:
        handle.write(PLUGIN)
    os.chdir(options.root)
    sys.path[:0] = [options.root, plugin_folder]
    import pytest
    from _pytest.config import default_plugins

    for name in default_plugins:
        try:
            importlib.import_module("_pytest." + name)
        except Exception:  # noqa: BLE001 - the child's pytest reports it
            pass
    junit = os.path.join(plugin_folder, "junit.xml")
    rows = []
    for shard in [s.split(",") for s in options.shards] * options.repeat:
        read, write = os.pipe()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            os.environ["PHASE_PROBE_FD"], os.environ["PHASE_PROBE_T0"] = str(write), repr(started)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            sys.argv = ["pytest", "-q", "-p", "phase_probe_plugin", "-p", "no:cacheprovider", "-o",
                        "junit_family=xunit1", f"--junitxml={junit}", *options.pytest_args.split(), *shard]
            raise SystemExit(pytest.console_main())
        os.close(write)
        data = b""
        while chunk := os.read(read, 65536):
            data += chunk
        os.close(read)
        os.waitpid(pid, 0)
        marks = json.loads(data.decode().splitlines()[-1]) if data.strip() else {}
        marks["exit"] = time.monotonic() - started
        rows.append(marks)
    print(f"{len(rows)} shards forked from a warm interpreter; seconds since the fork, median:")
    for phase in PHASES:
        values = [row[phase] for row in rows if phase in row]
        if values:
            print(f"  {phase:16s} {B.median(values):.3f}")
    print(f"load after: {B.load()}")


if __name__ == "__main__":
    main()
