#!/usr/bin/env python3
"""Compare TestShard's `plan` with pytest-split's two algorithms on the real timing datasets.

    python3 bench/plan/compare.py BINARY [--durations-dir DIR] [--shards 4,8,16,32]

BINARY is `testshard-coordinator` (or the stand-in bench/plan/PlanJSON built as `plan-json`); it is
run as `BINARY plan --durations FILE --shards N --json` for every dataset and N. For each plan the
script checks, from the dataset itself, that every entry is covered exactly once (a whole file
covers all of its tests; a split file appears only as its own tests, each a dataset key) and
computes the makespan over the bound max(total / N, longest entry). pytest-split (`pip install
pytest-split`) runs on the same entries in the file's order (its collection-order stand-in); it
always schedules every entry separately, so on test-level data it hands out one node id per test,
where TestShard keeps files whole unless cutting one is needed ("TS items" counts TestShard's).

Prints one markdown table; exits 1 if a TestShard plan misses coverage, the 1% bound, cuts more
than N files, or leaves a shard empty while there are at least N items.
"""
import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict, namedtuple

from pytest_split.algorithms import Algorithms

Item = namedtuple("Item", "nodeid")


def file_of(name):
    return name.split("::", 1)[0]


def check_testshard(binary, path, durations, shards):
    """Runs the plan, verifies it; returns (ratio, empty shards, files cut, problems)."""
    out = subprocess.run(
        [binary, "plan", "--durations", path, "--shards", str(shards), "--json"],
        check=True, capture_output=True, text=True,
    ).stdout
    plan = json.loads(out)
    test_level = any("::" in k for k in durations)
    keys_by_file = defaultdict(list)
    for key in durations:
        keys_by_file[file_of(key)].append(key)
    problems = []
    covered = defaultdict(int)
    cut = set()
    loads = []
    if [s["index"] for s in plan["shards"]] != list(range(shards)):
        problems.append(f"shard indices {[s['index'] for s in plan['shards']]}")
    for shard in plan["shards"]:
        load = 0.0
        for item in shard["items"]:
            if item in durations:
                covered[item] += 1
                load += durations[item]
                if "::" in item and test_level:
                    cut.add(file_of(item))
            elif test_level and "::" not in item and item in keys_by_file:
                for key in keys_by_file[item]:
                    covered[key] += 1
                    load += durations[key]
            else:
                problems.append(f"unknown item {item!r}")
        loads.append(load)
    missing = [k for k in durations if covered[k] == 0]
    twice = [k for k, n in covered.items() if n > 1]
    if missing:
        problems.append(f"{len(missing)} entries missing, e.g. {missing[0]!r}")
    if twice:
        problems.append(f"{len(twice)} entries covered twice, e.g. {twice[0]!r}")
    if "split_files" in plan and sorted(plan["split_files"]) != sorted(cut):
        problems.append(f"split_files {plan['split_files'][:3]} does not match the cut files {sorted(cut)[:3]}")
    bound = max(sum(durations.values()) / shards, max(durations.values()))
    ratio = max(loads) / bound
    empty = sum(1 for s in plan["shards"] if not s["items"])
    items = sum(len(s["items"]) for s in plan["shards"])
    if ratio > 1.01:
        problems.append(f"makespan/bound {ratio:.4f} > 1.01")
    if len(cut) > shards:
        problems.append(f"{len(cut)} files cut > N")
    if empty and items >= shards:
        problems.append(f"{empty} empty shards with {items} items")
    return ratio, empty, len(cut), items, problems


def run_pytest_split(algorithm, durations, shards):
    items = [Item(k) for k in durations]  # file order stands in for collection order
    groups = Algorithms[algorithm].value(shards, items, durations)
    loads = [sum(durations[i.nodeid] for i in g.selected) for g in groups]
    bound = max(sum(durations.values()) / shards, max(durations.values()))
    return max(loads) / bound, sum(1 for g in groups if not g.selected)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    here = os.path.dirname(os.path.abspath(__file__))
    default_dir = os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "bench", "durations"))
    parser.add_argument("--durations-dir", default=default_dir)
    parser.add_argument("--shards", default="4,8,16,32")
    args = parser.parse_args()
    shard_counts = [int(n) for n in args.shards.split(",")]

    print("| dataset | unit | entries | N | TestShard | least_duration | duration_based_chunks "
          "| empty groups (TS / LD / chunks) | files cut | TS items |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    failures = []
    worst = 0.0
    for name in sorted(os.listdir(args.durations_dir)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(args.durations_dir, name)
        with open(path) as f:
            data = json.load(f)
        durations = data["durations"] if isinstance(data.get("durations"), dict) else data
        unit = "test" if any("::" in k for k in durations) else "file"
        for shards in shard_counts:
            ratio, empty, cut, items, problems = check_testshard(args.binary, path, durations, shards)
            least, least_empty = run_pytest_split("least_duration", durations, shards)
            chunks, chunks_empty = run_pytest_split("duration_based_chunks", durations, shards)
            worst = max(worst, ratio)
            print(f"| {name[:-5]} | {unit} | {len(durations)} | {shards} | {ratio:.4f} | {least:.4f} | {chunks:.4f} "
                  f"| {empty} / {least_empty} / {chunks_empty} | {cut} | {items} |")
            failures += [f"{name} N={shards}: {p}" for p in problems]
    print()
    print(f"worst TestShard makespan/bound: {worst:.4f}")
    if failures:
        print("FAILED:")
        for failure in failures:
            print("  " + failure)
        sys.exit(1)
    print("all plans cover every entry exactly once, within 1% of the bound, cutting at most N files")


if __name__ == "__main__":
    main()
