#!/usr/bin/env python3
"""Issue 8.4, the seed's scale: 5000 small generated pytest files (3 tests each) over 2 local
workers, against one plain `pytest` and `pytest -n 2` of the same files, in one run.

    python3 bench/seed/seed_scale.py [--files 5000] [--rounds 2] [--work DIR] [--variants default,argv]

The suite is generated once (50 folders of 100 files) and warmed (one plain pytest run writes the
bytecode caches every later run uses). Each round then times, back to back:
  - plain:  python3 -m pytest -q -p no:cacheprovider tests
  - xdist:  the same with -n 2
  - TestShard `run --local-workers 2`, for each variant, twice: with empty history, then with the
    history of the first run;
  - plain again, after TestShard: this box's speed drifts by 10-20 % within minutes (plain
    pytest took 25.99 s and 31.00 s in two rounds three minutes apart), so each round also prints
    the ratios to the mean of the plain runs before and after.
Variants (the suite's command; the worker's handling is what differs):
  - default: the default pytest command (`... --junitxml={junit} {files}`), as shipped;
  - argv:    TESTSHARD_PYTEST_ARGV=1 in the workers' environment, which turns off the worker's
             folder + items-file hand-off and passes every file as its own argument (the old way);
  - cold:    TESTSHARD_PYTEST_WARM=0, which starts every shard as a fresh `python3 -m pytest`
             instead of forking it from the worker's warm interpreter.
Prints every wall time and the ratio to plain pytest of the same round.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402

TEMPLATE = '''import math


def test_arithmetic():
    assert {i} * 2 == {double}


def test_text():
    assert "file-{i}".split("-")[1] == "{i}"


def test_math():
    assert math.isclose(math.sqrt({square}), {i})
'''


def generate(root, count):
    B.fresh_dir(root)
    for i in range(count):
        folder = os.path.join(root, "tests", f"area{i % 50:02d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"test_unit_{i:05d}.py"), "w") as handle:
            handle.write(TEMPLATE.format(i=i, double=2 * i, square=i * i))
    B.write_config(root, "python3 -m pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml={junit} {files}",
                   extra='shard_timeout = "10m"\nretries = 0\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", default="/tmp/testshard-bench-seed")
    parser.add_argument("--variants", default="default,argv")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="every run with PYTHONDONTWRITEBYTECODE=1 and no __pycache__: each pytest process "
                             "compiles and rewrites every test file it imports (how this box's shell runs Python)")
    parser.add_argument("--coordinator")
    args = parser.parse_args()
    coordinator = B.binary("testshard-coordinator", args.coordinator)
    root = os.path.join(args.work, "suite")
    print(B.machine())
    generate(root, args.files)
    if args.no_bytecode_cache:
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        print("bytecode caches off: PYTHONDONTWRITEBYTECODE=1 for every run, no __pycache__ in the suite")
    logs = B.fresh_dir(os.path.join(args.work, "logs"))
    plain = ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    wall, _ = B.run(plain, cwd=root, log=os.path.join(logs, "warmup.log"))
    print(f"{args.files} files x 3 tests generated; warm-up plain pytest {wall:.2f} s")
    for round_ in range(1, args.rounds + 1):
        results = {}
        wall, status = B.run(plain, cwd=root, log=os.path.join(logs, f"plain-{round_}.log"))
        results["plain pytest"] = wall
        print(f"round {round_}: plain pytest {wall:.2f} s (exit {status})", flush=True)
        wall, status = B.run(plain + ["-n", "2"], cwd=root, log=os.path.join(logs, f"xdist-{round_}.log"))
        results["pytest -n 2"] = wall
        print(f"round {round_}: pytest -n 2 {wall:.2f} s (exit {status})", flush=True)
        for variant in args.variants.split(","):
            env = {"argv": {"TESTSHARD_PYTEST_ARGV": "1"}, "cold": {"TESTSHARD_PYTEST_WARM": "0"}}.get(variant, {})
            db = os.path.join(args.work, f"history-{variant}-{round_}.sqlite")
            # "no history" means none: a database left by an earlier invocation in the same --work
            # would hand its samples to the first run.
            for stale in (db, db + "-wal", db + "-shm"):
                if os.path.exists(stale):
                    os.remove(stale)
            for attempt in ("no history", "history"):
                report = os.path.join(args.work, f"report-{variant}-{round_}-{attempt[0]}")
                wall, status = B.run([coordinator, "run", "--local-workers", "2", "--db", db, "--report-dir", report],
                                     cwd=root, env=env, log=os.path.join(logs, f"run-{variant}-{round_}-{attempt[0]}.log"))
                run_id, _, _, _ = B.last_run(db)
                shards = B.shard_rows(db, run_id)
                tests, failed, _ = B.junit_counts(os.path.join(report, "junit.xml"))
                label = f"TestShard 2 workers [{variant}] ({attempt})"
                results[label] = wall
                print(f"round {round_}: {label} {wall:.2f} s (exit {status}, {len(shards)} shards, "
                      f"{tests} tests, {failed} failed)", flush=True)
        # The box's speed drifts by 10-20 % within minutes: a second plain run after TestShard's
        # brackets them, and the ratios to the mean of the two are printed beside the first's.
        wall, status = B.run(plain, cwd=root, log=os.path.join(logs, f"plain-after-{round_}.log"))
        print(f"round {round_}: plain pytest (after) {wall:.2f} s (exit {status})", flush=True)
        base = results["plain pytest"]
        bracket = (base + wall) / 2
        print(f"round {round_} ratios to plain pytest: " +
              ", ".join(f"{name} {value / base:.2f}" for name, value in results.items()))
        print(f"round {round_} ratios to the mean of plain before and after ({bracket:.2f} s): " +
              ", ".join(f"{name} {value / bracket:.2f}" for name, value in results.items() if name != "plain pytest"))
    print(f"load after: {B.load()}")


if __name__ == "__main__":
    main()
