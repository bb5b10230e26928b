#!/usr/bin/env python3
"""What a run had finished when its coordinator died, and whether the resumed run ran it again.

    resume_check.py snapshot --db DB --run-id ID --out before.json
    resume_check.py verify   --db DB --run-id ID --before before.json [--executions LOG]

`snapshot` (after the kill, before the restart) records the accepted shard attempts and the items
they covered, and the highest shard number. `verify` (after the resumed run ended) checks that no
shard attempt numbered after the kill holds an item an accepted attempt had already covered, and
that every test has exactly one accepted attempt in the run. With --executions (the suite's log of
every test execution, written by the tests themselves), also checks that every test of an item
finished before the kill ran exactly once over both coordinators. Prints the counts; exits 1 on a
violation.
"""
import argparse
import collections
import json
import sqlite3
import sys


def accepted_attempts(db, run_id):
    rows = db.execute(
        "SELECT shard_id, attempt, items, exit_kind, accepted FROM shard_attempt WHERE run_id = ? ORDER BY shard_id, attempt",
        (run_id,),
    ).fetchall()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["snapshot", "verify"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--out")
    parser.add_argument("--before")
    parser.add_argument("--executions")
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = accepted_attempts(db, args.run_id)

    if args.mode == "snapshot":
        done = sorted({item for _, _, items, kind, acc in rows if acc and kind not in ("lost", "cancelled", "refused") for item in json.loads(items)})
        finals = db.execute(
            "SELECT count(*) FROM run_item WHERE run_id = ? AND final_state IS NOT NULL AND final_state NOT IN ('lost', 'not_run')",
            (args.run_id,),
        ).fetchone()[0]
        tests = db.execute("SELECT count(*) FROM test_attempt WHERE run_id = ?", (args.run_id,)).fetchone()[0]
        snapshot = {
            "max_shard": max((r[0] for r in rows), default=0),
            "shard_attempts": [f"s{r[0]:04d}#{r[1]} {r[3]}{'' if r[4] else ' (not accepted)'}" for r in rows],
            "done_items": done,
            "final_items": finals,
            "test_attempts": tests,
        }
        with open(args.out, "w") as f:
            json.dump(snapshot, f, indent=1)
        print(
            f"BEFORE-KILL shard_attempts={len(rows)} max_shard={snapshot['max_shard']} "
            f"items_done={len(done)} items_final={finals} test_attempts={tests}"
        )
        return 0

    with open(args.before) as f:
        before = json.load(f)
    done = set(before["done_items"])
    later = [(s, a, json.loads(items), kind) for s, a, items, kind, acc in rows if s > before["max_shard"]]
    rerun = sorted({item for _, _, items, _ in later for item in items if item in done})
    per_test = collections.Counter(
        test
        for (test,) in db.execute(
            "SELECT t.test_id FROM test_attempt t JOIN shard_attempt s ON s.id = t.shard_attempt_id "
            "WHERE t.run_id = ? AND s.accepted = 1",
            (args.run_id,),
        )
    )
    twice = sorted(t for t, n in per_test.items() if n > 1)
    status, resumes = db.execute("SELECT status, resume_count FROM run WHERE id = ?", (args.run_id,)).fetchone()
    print(
        f"RESUME items_done_before_kill={len(done)} shard_attempts_after_restart={len(later)} "
        f"items_rerun_after_restart={len(rerun)} tests_with_two_accepted_attempts={len(twice)} "
        f"run_status={status} resume_count={resumes}"
    )
    problems = []
    if rerun:
        problems.append(f"{len(rerun)} item(s) finished before the kill ran again, e.g. {rerun[:3]}")
    if twice:
        problems.append(f"{len(twice)} test(s) have two accepted attempts, e.g. {twice[:3]}")
    if not done:
        problems.append("nothing had finished before the kill: the scenario did not test resuming")
    if args.executions:
        with open(args.executions) as f:
            runs = collections.Counter(line.strip() for line in f if line.strip())
        # An item is a file, or one `file::test` when a file was cut into its tests.
        def covered(test):
            return test in done or test.split("::", 1)[0] in done

        done_tests = {t: n for t, n in runs.items() if covered(t)}
        histogram = collections.Counter(done_tests.values())
        other = collections.Counter(n for t, n in runs.items() if not covered(t))
        print(
            f"EXECUTIONS tests_of_items_done_before_kill={len(done_tests)} runs_per_test={dict(sorted(histogram.items()))} "
            f"other_tests={len(runs) - len(done_tests)} "
            f"other_runs_per_test={dict(sorted(other.items()))}"
        )
        twice_run = sorted(t for t, n in done_tests.items() if n != 1)
        if twice_run:
            problems.append(f"{len(twice_run)} test(s) of items finished before the kill ran again, e.g. {twice_run[:3]}")
    for p in problems:
        print(f"MISMATCH {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
