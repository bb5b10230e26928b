#!/usr/bin/env python3
"""Issue 8.3, against pytest-xdist on one machine: numpy's own test suite (as installed) run by
plain `pytest`, by `pytest -n 2`, and by TestShard with 2 local workers and history from a
previous run — the same files, the same interpreter, one after the other.

    pip install pytest-xdist
    python3 bench/xdist/numpy_xdist.py [--subset lib,ma,...] [--rounds 2] [--work DIR] [--also-cold]

TestShard's suite root is the folder holding testshard.toml, and it never follows a symlink out of
it, so the installed package is copied (`cp -a`) to WORK/suite/numpy and the config put next to
it (with the wheel's `numpy.libs`, where the extension modules find OpenBLAS); all three runners
run that copy (pytest puts WORK/suite first on sys.path, so `import numpy`
is the copy too). A warm-up run writes the bytecode caches first.

Each round: plain, xdist, then TestShard (a first run builds history in round 1; every round's
TestShard figure is a run with history). The per-test outcomes of the three are compared (same
ids, same outcomes) from their JUnit files. Then the breakdown: what one pytest process costs
before its first test (interpreter, pytest, numpy, conftest), what collecting the subset costs,
the tests' own time, and TestShard's shards.
"""
import argparse
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402

DEFAULT_SUBSET = "lib,ma,polynomial,linalg,fft,matrixlib,random"


def outcomes(path):
    """{test id: outcome} from a JUnit file (pytest's xunit1 or TestShard's merged one)."""
    result = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        name = case.get("name")
        classname = case.get("classname", "")
        if case.find("failure") is not None or case.find("error") is not None:
            status = "failed"
        elif case.find("skipped") is not None:
            status = "skipped"
        else:
            status = "passed"
        result[f"{classname}::{name}"] = status
    return result


def summary(result):
    counts = {}
    for status in result.values():
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subset", default=DEFAULT_SUBSET, help="numpy subpackages whose tests/ run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", default="/tmp/testshard-bench-numpy")
    parser.add_argument("--coordinator")
    parser.add_argument("--also-cold", action="store_true",
                        help="each round also runs TestShard with TESTSHARD_PYTEST_WARM=0 (a new pytest process per "
                             "shard), from its own copy of the first run's history")
    parser.add_argument("--extra-run-args", default="", help="extra arguments for `run` (e.g. --local-worker-slots 1)")
    args = parser.parse_args()
    coordinator = B.binary("testshard-coordinator", args.coordinator)
    import numpy  # noqa: F401  (the installed one, to find it)
    source = os.path.dirname(numpy.__file__)
    work = args.work
    root = os.path.join(work, "suite")
    if not os.path.isdir(os.path.join(root, "numpy")):
        B.fresh_dir(root)
        subprocess.run(["cp", "-a", source, os.path.join(root, "numpy")], check=True)
        # A wheel's extension modules find their bundled OpenBLAS in ../numpy.libs (RPATH $ORIGIN).
        libs = source + ".libs"
        if os.path.isdir(libs):
            subprocess.run(["cp", "-a", libs, os.path.join(root, "numpy.libs")], check=True)
    subset = [s.strip() for s in args.subset.split(",") if s.strip()]
    folders = [f"numpy/{name}/tests" for name in subset]
    include = "[" + ", ".join(f'"{folder}/test_*.py"' for folder in folders) + "]"
    B.write_config(root, "python3 -m pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml={junit} {files}",
                   include=include, extra='shard_timeout = "15m"\nretries = 0\n')
    logs = B.fresh_dir(os.path.join(work, "logs"))
    print(B.machine())
    print(f"numpy {numpy.__version__} from {source}, copied to {root}/numpy; subset: {' '.join(folders)}")
    base = ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "junit_family=xunit1"]
    wall, status = B.run(base + folders, cwd=root, log=os.path.join(logs, "warmup.log"))
    print(f"warm-up plain pytest: {wall:.2f} s (exit {status})", flush=True)
    db = os.path.join(work, "history.sqlite")
    if os.path.exists(db):
        os.remove(db)
    wall, status = B.run([coordinator, "run", "--local-workers", "2", "--db", db, "--report-dir",
                          os.path.join(work, "report-history"), *args.extra_run_args.split()], cwd=root,
                         log=os.path.join(logs, "history-run.log"))
    print(f"TestShard first run (no history, builds it): {wall:.2f} s (exit {status})", flush=True)
    print("  " + B.describe_timeline(B.run_timeline(db, B.last_run(db)[0])), flush=True)
    cold_db = os.path.join(work, "history-cold.sqlite")
    if args.also_cold:
        import sqlite3
        for stale in (cold_db, cold_db + "-wal", cold_db + "-shm"):
            if os.path.exists(stale):
                os.remove(stale)
        with sqlite3.connect(db) as source, sqlite3.connect(cold_db) as target:
            source.backup(target)

    for round_ in range(1, args.rounds + 1):
        walls = {}
        junit = {}
        for name, cmd in [("plain pytest", base + folders), ("pytest -n 2", base + ["-n", "2"] + folders)]:
            path = os.path.join(work, f"{name.replace(' ', '_')}-{round_}.xml")
            wall, status = B.run(cmd + [f"--junitxml={path}"], cwd=root, log=os.path.join(logs, f"{name[:6]}-{round_}.log"))
            walls[name], junit[name] = wall, path
            print(f"round {round_}: {name} {wall:.2f} s (exit {status})", flush=True)
        report = os.path.join(work, f"report-{round_}")
        wall, status = B.run([coordinator, "run", "--local-workers", "2", "--db", db, "--report-dir", report,
                              *args.extra_run_args.split()], cwd=root, log=os.path.join(logs, f"testshard-{round_}.log"))
        walls["TestShard 2 workers"], junit["TestShard 2 workers"] = wall, os.path.join(report, "junit.xml")
        run_id, _, _, _ = B.last_run(db)
        rows = B.shard_rows(db, run_id)
        print(f"round {round_}: TestShard 2 local workers (with history) {wall:.2f} s (exit {status}), "
              f"{len(rows)} shards: " + " ".join(f"{r[4]}f/{r[6] - r[5]:.1f}s" for r in rows), flush=True)
        print("  " + B.describe_timeline(B.run_timeline(db, run_id)), flush=True)
        if args.also_cold:
            report = os.path.join(work, f"report-cold-{round_}")
            wall, status = B.run([coordinator, "run", "--local-workers", "2", "--db", cold_db, "--report-dir", report,
                                  *args.extra_run_args.split()], cwd=root, env={"TESTSHARD_PYTEST_WARM": "0"},
                                 log=os.path.join(logs, f"testshard-cold-{round_}.log"))
            walls["TestShard cold starts"], junit["TestShard cold starts"] = wall, os.path.join(report, "junit.xml")
            rows = B.shard_rows(cold_db, B.last_run(cold_db)[0])
            print(f"round {round_}: TestShard 2 local workers, cold starts (TESTSHARD_PYTEST_WARM=0, with history) "
                  f"{wall:.2f} s (exit {status}), {len(rows)} shards -> / xdist "
                  f"{wall / walls['pytest -n 2']:.3f}", flush=True)
        results = {name: outcomes(path) for name, path in junit.items()}
        for name, result in results.items():
            print(f"  {name}: {len(result)} tests ({summary(result)})")
        reference = results["plain pytest"]
        for name, result in results.items():
            if name == "plain pytest":
                continue
            differ = [k for k in set(reference) | set(result) if reference.get(k) != result.get(k)]
            print(f"  {name} vs plain: {len(differ)} tests differ" + (f", e.g. {sorted(differ)[:3]}" if differ else ""))
        xdist = walls["pytest -n 2"]
        print(f"round {round_} ratios: TestShard/xdist {walls['TestShard 2 workers'] / xdist:.3f}, "
              f"TestShard/plain {walls['TestShard 2 workers'] / walls['plain pytest']:.3f}, "
              f"xdist/plain {xdist / walls['plain pytest']:.3f}")

    # Where the time goes.
    small = sorted((os.path.getsize(os.path.join(root, f, n)), f"{f}/{n}") for f in folders
                   for n in os.listdir(os.path.join(root, f)) if n.startswith("test_") and n.endswith(".py"))[0][1]
    start, _ = B.run(base + ["--co", small], cwd=root)
    bare, _ = B.run(["python3", "-c", "import pytest, numpy"], cwd=root)
    collect, _ = B.run(base + ["--co"] + folders, cwd=root, log=os.path.join(logs, "collect.log"))
    xdist_collect, _ = B.run(base + ["-n", "2", "--co"] + folders, cwd=root, log=os.path.join(logs, "collect-xdist.log"))
    tests_time = sum(float(c.get("time", 0)) for c in ET.parse(junit["plain pytest"]).getroot().iter("testcase"))
    print(f"breakdown: `import pytest, numpy` {bare:.2f} s; one pytest process collecting the smallest file "
          f"({small}) {start:.2f} s; collecting the whole subset (--co) {collect:.2f} s; "
          f"`pytest -n 2 --co` (both xdist workers collect everything) {xdist_collect:.2f} s; "
          f"the tests' own time (JUnit, plain run) {tests_time:.2f} s")
    print(f"load after: {B.load()}")


if __name__ == "__main__":
    main()
