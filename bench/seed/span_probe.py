#!/usr/bin/env python3
"""Where a small file's time goes in one pytest session: the probe behind the file samples of
issue 8.4 (docs/BENCHMARKS.md, "The seed's scale").

    python3 bench/seed/span_probe.py [--files 1000] [--work DIR]

Generates the seed-scale suite (3 trivial tests per file, as seed_scale.py), warms the bytecode,
then runs one plain pytest with a small plugin that timestamps what TestShard's progress plugin
timestamps: each file's collectstart/collectreport and each test's logstart/logfinish. Prints the
session time, the collection phase and the sum of the files' collection spans, the run phase and
the sum of the tests' start-to-finish spans, and the sum of the JUnit times — what history held
per file before the worker sent `file_seconds`.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402
from seed_scale import generate  # noqa: E402

PLUGIN = '''
import json, os, time
import pytest
_events = []
def pytest_sessionstart(session):
    _events.append(("sessionstart", "", time.time()))
def pytest_collectstart(collector):
    if isinstance(collector, pytest.File):
        _events.append(("collectstart", collector.nodeid, time.time()))
def pytest_collectreport(report):
    if report.nodeid.endswith(".py"):
        _events.append(("collectreport", report.nodeid, time.time()))
def pytest_runtest_logstart(nodeid, location):
    _events.append(("start", nodeid, time.time()))
def pytest_runtest_logfinish(nodeid, location):
    _events.append(("finish", nodeid, time.time()))
def pytest_sessionfinish(session):
    _events.append(("sessionfinish", "", time.time()))
    with open(os.environ["SPAN_PROBE_OUT"], "w") as handle:
        json.dump(_events, handle)
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--work", default="/tmp/testshard-bench-span")
    args = parser.parse_args()
    print(B.machine())
    root = os.path.join(args.work, "suite")
    generate(root, args.files)
    with open(os.path.join(root, "span_probe_plugin.py"), "w") as handle:
        handle.write(PLUGIN)
    events_path = os.path.join(args.work, "events.json")
    junit_path = os.path.join(args.work, "junit.xml")
    command = ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "span_probe_plugin",
               "-o", "junit_family=xunit1", f"--junitxml={junit_path}", "tests"]
    env = dict(os.environ, PYTHONPATH=root, SPAN_PROBE_OUT=events_path)
    subprocess.run(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
    started = time.time()
    subprocess.run(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - started
    with open(events_path) as handle:
        events = json.load(handle)
    begun, collection, run = {}, 0.0, 0.0
    for kind, nodeid, at in events:
        if kind in ("collectstart", "start"):
            begun[(kind, nodeid)] = at
        elif kind == "collectreport" and ("collectstart", nodeid) in begun:
            collection += at - begun[("collectstart", nodeid)]
        elif kind == "finish" and ("start", nodeid) in begun:
            run += at - begun[("start", nodeid)]
    first = {kind: min(at for k, _, at in events if k == kind) for kind in ("sessionstart", "start")}
    session_end = max(at for k, _, at in events if k == "sessionfinish")
    last_report = max(at for k, _, at in events if k == "collectreport")
    junit = sum(float(case.get("time", 0)) for case in ET.parse(junit_path).iter("testcase"))
    print(f"{args.files} files x 3 tests, wall {wall:.2f} s: session {session_end - first['sessionstart']:.2f} s; "
          f"collection phase {last_report - first['sessionstart']:.2f} s (files' collection spans {collection:.2f} s); "
          f"run phase {session_end - first['start']:.2f} s (tests' start-to-finish spans {run:.2f} s); "
          f"JUnit times {junit:.2f} s")
    print(f"load after: {B.load()}")


if __name__ == "__main__":
    main()
