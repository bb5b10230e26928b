#!/usr/bin/env python3
"""Issue 3: dispatch overhead per shard on loopback, and the example suite over 1 and 2 local workers.

    python3 bench/dispatch/dispatch.py [--shards 200] [--work DIR]

1. Dispatch overhead. A generated suite of SHARDS files whose command is a two-line shell script
   writing a tiny JUnit file (runner "junit": no interpreter start to speak of). History says each
   file takes 400 s, so the scheduler hands every file out as its own shard (a batch is at most
   300 s). One local worker, one slot: the run is a chain of assign -> command -> result -> next
   assign, and the time from one result to the next (read from the shard rows in SQLite: the
   worker's own start and end of each command) splits into
     - command: the worker starting the script and reading its JUnit (started_at -> ended_at), and
     - dispatch: everything else (result to coordinator, SQLite write, scheduler, next assign,
       worker's scratch folder) = next started_at - ended_at.
   The same script run directly in a loop gives the cost of the process itself.
   The same is repeated with a pytest command on empty test files (the cost a real suite pays).
2. The example suite (examples/pytest-suite): plain `pytest` once, then `run --local-workers 1` and
   `--local-workers 2`, each a second time with the history of the first.
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402

JUNIT_SCRIPT = r"""#!/bin/sh
# $1: the JUnit path; the rest: the shard's files. One passing test per file.
out="$1"; shift
{ echo '<testsuite name="t">'
  for f in "$@"; do echo "<testcase classname=\"t\" name=\"test_ok\" file=\"$f\" time=\"0\"/>"; done
  echo '</testsuite>'; } > "$out"
"""


def overhead(coordinator, work, shards, kind):
    root = B.fresh_dir(os.path.join(work, f"dispatch-{kind}"))
    files = [f"tests/test_{i:04d}.py" for i in range(shards)]
    os.makedirs(os.path.join(root, "tests"))
    for path in files:
        with open(os.path.join(root, path), "w") as handle:
            handle.write("def test_ok():\n    pass\n")
    if kind == "shell":
        with open(os.path.join(root, "write_junit.sh"), "w") as handle:
            handle.write(JUNIT_SCRIPT)
        B.write_config(root, "sh write_junit.sh {junit} {files}", extra='runner = "junit"\n')
    else:
        B.write_config(root, "python3 -m pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml={junit} {files}")
    with open(os.path.join(root, "durations.json"), "w") as handle:
        json.dump({path: 400.0 for path in files}, handle)
    db = os.path.join(root, "history.sqlite")
    B.run([coordinator, "import", "--format", "knapsack", "durations.json", "--db", db], cwd=root, check=True,
          log=os.path.join(root, "import.log"))
    wall, status = B.run([coordinator, "run", "--local-workers", "1", "--db", db, "--report-dir", "report"],
                         cwd=root, log=os.path.join(root, "run.log"))
    run_id, started, ended, _ = B.last_run(db)
    rows = B.shard_rows(db, run_id)
    if status != 0 or len(rows) != shards or any(r[4] != 1 for r in rows):
        sys.exit(f"{kind}: run exited {status} with {len(rows)} shards (expected {shards} single-file shards); "
                 f"see {root}/run.log")
    command = [r[6] - r[5] for r in rows]
    gaps = [rows[i + 1][5] - rows[i][6] for i in range(len(rows) - 1)]
    cycles = [rows[i + 1][6] - rows[i][6] for i in range(len(rows) - 1)]
    # The bare process cost, outside TestShard: the same command run directly, one file each.
    junit = os.path.join(root, "direct.xml")
    direct = []
    for path in files[:50]:
        cmd = (["sh", "write_junit.sh", junit, path] if kind == "shell" else
               ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "junit_family=xunit1",
                f"--junitxml={junit}", path])
        direct.append(B.run(cmd, cwd=root)[0])
    ms = lambda v: f"{v * 1000:.1f} ms"  # noqa: E731
    print(f"{kind}: {shards} single-file shards on 1 local worker, run wall {wall:.2f} s "
          f"(coordinator start to exit, report included)")
    print(f"  per shard, result to next result: median {ms(B.median(cycles))}, p90 {ms(B.percentile(cycles, 90))}")
    print(f"    command as the worker ran it (start -> JUnit read): median {ms(B.median(command))}, "
          f"p90 {ms(B.percentile(command, 90))}")
    print(f"    dispatch (result -> coordinator -> next assign -> next command start): median {ms(B.median(gaps))}, "
          f"p90 {ms(B.percentile(gaps, 90))}, max {ms(max(gaps))}")
    print(f"  the same command run directly (50 runs): median {ms(B.median(direct))}")
    return B.median(gaps)


def example(coordinator, work):
    source = os.path.join(B.REPO, "examples", "pytest-suite")
    root = os.path.join(B.fresh_dir(os.path.join(work, "example")), "suite")
    subprocess.run(["cp", "-r", source, root], check=True)
    subprocess.run(["rm", "-rf", os.path.join(root, ".testshard")])
    files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(os.path.join(root, "tests"))
                   for f in fs if f.startswith("test_") and f.endswith(".py"))
    wall, status = B.run(["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", *files], cwd=root,
                         log=os.path.join(root, "..", "pytest.log"))
    print(f"example suite ({len(files)} files): plain pytest {wall:.2f} s (exit {status})")
    for workers in (1, 2):
        db = os.path.join(root, "..", f"history-{workers}.sqlite")
        for attempt in ("no history", "with history"):
            wall, status = B.run([coordinator, "run", "--local-workers", str(workers), "--db", db,
                                  "--report-dir", f"../report-{workers}-{attempt[0]}"], cwd=root,
                                 log=os.path.join(root, "..", f"run-{workers}-{attempt[0]}.log"))
            run_id, _, _, _ = B.last_run(db)
            rows = B.shard_rows(db, run_id)
            print(f"  run --local-workers {workers} ({attempt}): {wall:.2f} s, exit {status}, {len(rows)} shards")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shards", type=int, default=200)
    parser.add_argument("--work", default="/tmp/testshard-bench-dispatch")
    parser.add_argument("--coordinator")
    args = parser.parse_args()
    coordinator = B.binary("testshard-coordinator", args.coordinator)
    os.makedirs(args.work, exist_ok=True)
    print(B.machine())
    overhead(coordinator, args.work, args.shards, "shell")
    overhead(coordinator, args.work, min(args.shards, 60), "pytest")
    example(coordinator, args.work)
    print(f"load after: {B.load()}")


if __name__ == "__main__":
    main()
