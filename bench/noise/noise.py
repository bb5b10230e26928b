#!/usr/bin/env python3
"""Issue 8.2, scheduling under noise, for real: a sleep-bound pytest suite generated from a real
duration dataset, history from the estimates, actual durations = estimate x lognormal noise, one of
the workers 1.5x slower. TestShard's dynamic run against a static LPT plan of the same estimates,
on the same workers, each against the fluid bound.

    python3 bench/noise/noise.py [--dataset NAME] [--workers 6] [--target-seconds 90] [--sigma 0.3]
                                 [--seed 7] [--slow 1.5] [--work DIR] [--also-cold]

1. The dataset (a pytest-split file from shared/bench/durations, test level) gives files and
   tests. Each test becomes a function that sleeps `actual x $BENCH_SLOWDOWN`, where actual =
   estimate x exp(sigma Z - sigma^2 / 2) (mean 1, fixed seed). Durations are scaled so the fluid
   bound is about --target-seconds.
2. `import --format pytest-split` records the *estimates* as history.
3. TestShard: `run --listen 127.0.0.1:0 --token-file F --expect-workers W`, and W
   `testshard-worker --slots 1 --once` processes on 127.0.0.1; the last has BENCH_SLOWDOWN=1.5 (the
   worker passes its environment to the command). Wall = coordinator start to exit.
4. Static LPT: `plan --shards W --json` from the same history, then W pytest processes at once,
   one per shard, the last shard on the slow "worker" (BENCH_SLOWDOWN=1.5). Wall = all done.
5. Fluid bound = max(sum(actual) / sum(speeds), longest file's actual time) with speeds 1 and
   1/1.5. (`run` may cut a giant file into its tests, which would lower the second term to the
   longest test; on the default dataset the first term binds either way.)
"""
import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402

DEFAULT_DATASET = "Clinical-Genomics__scout__pytest-split"


def load_dataset(name):
    path = os.path.join(B.REPO, "..", "..", "shared", "bench", "durations", name + ".json")
    if not os.path.exists(path):
        path = os.path.join("/work/shared/bench/durations", name + ".json")
    with open(path) as handle:
        data = json.load(handle)
    durations = data["durations"] if isinstance(data.get("durations"), dict) else data
    by_file = {}
    for key, seconds in durations.items():
        file, _, test = key.partition("::")
        by_file.setdefault(file, []).append((test, seconds))
    return by_file


def generate(root, by_file, scale, sigma, seed):
    """Writes the suite; returns {node id: estimate}, {node id: actual}, {file: actual}."""
    rng = random.Random(seed)
    estimates, actuals, file_actual = {}, {}, {}
    for index, (source, tests) in enumerate(sorted(by_file.items())):
        folder, base = os.path.split(source)
        name = base if base.startswith("test_") else "test_" + base
        rel = os.path.join(re.sub(r"[^A-Za-z0-9_/]", "_", folder), name)
        os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
        lines = ["import os", "import time", "", 'SLOW = float(os.environ.get("BENCH_SLOWDOWN", "1"))', ""]
        total = 0.0
        for number, (_, seconds) in enumerate(tests):
            estimate = seconds * scale
            actual = estimate * math.exp(sigma * rng.gauss(0, 1) - sigma * sigma / 2)
            test = f"test_{number:04d}"
            estimates[f"{rel}::{test}"] = estimate
            actuals[f"{rel}::{test}"] = actual
            total += actual
            lines += ["", f"def {test}():", f"    time.sleep({actual:.6f} * SLOW)", ""]
        file_actual[rel] = total
        with open(os.path.join(root, rel), "w") as handle:
            handle.write("\n".join(lines))
    # Packages everywhere, so equal basenames in different folders import as different modules.
    for folder, _, files in os.walk(os.path.join(root, "tests")):
        open(os.path.join(folder, "__init__.py"), "a").close()
    return estimates, actuals, file_actual


def wait_for_port(path, proc, limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with open(path) as handle:
            match = re.search(r"listening on [^\s:]+:(\d+)", handle.read())
        if match:
            return int(match.group(1))
        if proc.poll() is not None:
            sys.exit(f"the coordinator exited ({proc.returncode}) before listening; see {path}")
        time.sleep(0.02)
    sys.exit(f"no 'listening on' line in {path} within {limit} s")


def testshard(coordinator, worker, root, workers, slow, work, db_name="history.sqlite", extra_env=None):
    token = B.token_file(os.path.join(work, "token"))
    db = os.path.join(work, db_name)
    log = os.path.join(work, "coordinator.log")
    start = time.monotonic()
    coord = B.Background([coordinator, "run", "--listen", "127.0.0.1:0", "--token-file", token,
                          "--expect-workers", str(workers), "--db", db, "--report-dir", os.path.join(work, "report")],
                         cwd=root, log=log)
    port = wait_for_port(log, coord.proc)
    started = []
    for index in range(workers):
        env = {"BENCH_SLOWDOWN": str(slow)} if index == workers - 1 else {}
        env.update(extra_env or {})
        started.append(B.Background([worker, "--coordinator", f"127.0.0.1:{port}", "--root", root, "--slots", "1",
                                     "--token-file", token, "--name", f"w{index}", "--once",
                                     "--scratch", os.path.join(work, f"scratch-{index}")],
                                    env=env, log=os.path.join(work, f"worker-{index}.log")))
    status = coord.proc.wait()
    wall = time.monotonic() - start
    for proc in started:
        proc.stop(grace=15)
    coord.stop()
    run_id, _, _, _ = B.last_run(db)
    rows = B.shard_rows(db, run_id)
    dispatch = max(r[6] for r in rows) - min(r[5] for r in rows)
    per_worker = {}
    for row in rows:
        per_worker[row[2]] = per_worker.get(row[2], 0) + (row[6] - row[5])
    return wall, status, len(rows), dispatch, per_worker


def static_lpt(coordinator, root, workers, slow, work):
    db = os.path.join(work, "history.sqlite")
    out = subprocess.run([coordinator, "plan", "--shards", str(workers), "--json", "--db", db], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    plan = json.loads(out)
    start = time.monotonic()
    procs = []
    for shard in plan["shards"]:
        env = dict(os.environ)
        if shard["index"] == workers - 1:
            env["BENCH_SLOWDOWN"] = str(slow)
        log = open(os.path.join(work, f"static-{shard['index']}.log"), "w")
        procs.append((shard, time.monotonic(), log, subprocess.Popen(
            ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", *shard["items"]], cwd=root, env=env,
            stdout=log, stderr=subprocess.STDOUT)))
    ends = []
    for shard, began, log, proc in procs:
        proc.wait()
        log.close()
        ends.append((shard["index"], time.monotonic() - start, proc.returncode, shard["estimated_seconds"]))
    return time.monotonic() - start, ends, plan


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default=DEFAULT_DATASET)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--target-seconds", type=float, default=90)
    parser.add_argument("--sigma", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--slow", type=float, default=1.5)
    parser.add_argument("--work", default="/tmp/testshard-bench-noise")
    parser.add_argument("--coordinator")
    parser.add_argument("--worker")
    parser.add_argument("--also-cold", action="store_true",
                        help="run TestShard a second time, from the same imported estimates, with "
                             "TESTSHARD_PYTEST_WARM=0 in every worker's environment (a new pytest process per shard)")
    args = parser.parse_args()
    coordinator = B.binary("testshard-coordinator", args.coordinator)
    worker = B.binary("testshard-worker", args.worker)
    work = B.fresh_dir(args.work)
    root = B.fresh_dir(os.path.join(work, "suite"))
    print(B.machine())

    by_file = load_dataset(args.dataset)
    total = sum(s for tests in by_file.values() for _, s in tests)
    speeds = [1.0] * (args.workers - 1) + [1 / args.slow]
    scale = args.target_seconds * sum(speeds) / total
    estimates, actuals, file_actual = generate(root, by_file, scale, args.sigma, args.seed)
    B.write_config(root, "python3 -m pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml={junit} {files}",
                   extra='shard_timeout = "10m"\nretries = 0\n')
    with open(os.path.join(work, "estimates.json"), "w") as handle:
        json.dump(estimates, handle)
    for db_name in ["history.sqlite"] + (["history-cold.sqlite"] if args.also_cold else []):
        B.run([coordinator, "import", "--format", "pytest-split", os.path.join(work, "estimates.json"),
               "--db", os.path.join(work, db_name)], cwd=root, check=True, log=os.path.join(work, "import.log"))
    bound_work = sum(actuals.values()) / sum(speeds)
    longest_file, longest = max(file_actual.items(), key=lambda kv: kv[1])
    bound = max(bound_work, longest)
    print(f"dataset {args.dataset}: {len(by_file)} files, {len(estimates)} tests, scaled x{scale:.4f}; "
          f"estimates {sum(estimates.values()):.1f} s, actual {sum(actuals.values()):.1f} s "
          f"(lognormal sigma {args.sigma}, seed {args.seed}); {args.workers} workers, speeds "
          f"{' '.join(f'{s:.3g}' for s in speeds)}")
    print(f"fluid bound: max(total/speed {bound_work:.2f} s, longest file {longest:.2f} s = {longest_file}) "
          f"= {bound:.2f} s")

    # Warm the bytecode caches so neither side pays for compiling the generated files.
    B.run(["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", "tests"], cwd=root)

    wall, status, shards, dispatch, per_worker = testshard(coordinator, worker, root, args.workers, args.slow, work)
    print(f"TestShard dynamic: wall {wall:.2f} s (coordinator start to exit; exit {status}), {shards} shards, "
          f"first shard start to last end {dispatch:.2f} s -> wall/bound {wall / bound:.3f} "
          f"(dispatch span/bound {dispatch / bound:.3f})")
    print("  busy seconds per worker: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(per_worker.items())))
    static_wall, ends, plan = static_lpt(coordinator, root, args.workers, args.slow, work)
    print(f"static LPT ({args.workers} shards from `plan`, estimated makespan {plan['estimated_makespan_seconds']:.2f} s): "
          f"wall {static_wall:.2f} s -> wall/bound {static_wall / bound:.3f}")
    print("  per shard (index: done at, exit, estimate): " +
          ", ".join(f"{i}: {t:.1f} s/{rc}/{e:.1f}" for i, t, rc, e in ends))
    print(f"TestShard / static = {wall / static_wall:.3f}")
    if args.also_cold:
        cold, status, shards, dispatch, per_worker = testshard(
            coordinator, worker, root, args.workers, args.slow, work, db_name="history-cold.sqlite",
            extra_env={"TESTSHARD_PYTEST_WARM": "0"})
        print(f"TestShard dynamic, cold starts (TESTSHARD_PYTEST_WARM=0): wall {cold:.2f} s (exit {status}), "
              f"{shards} shards -> wall/bound {cold / bound:.3f}")
        print("  busy seconds per worker: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(per_worker.items())))
    print(f"load after: {B.load()}")


if __name__ == "__main__":
    main()
