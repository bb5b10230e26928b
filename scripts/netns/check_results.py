#!/usr/bin/env python3
"""Compares a run's merged results with the expected inventory.

    check_results.py --expected expected.txt --run-dir RUN_DIR [--scenario NAME] [--executions LOG]

expected.txt holds one `file::test` per line. RUN_DIR is the run's report directory (junit.xml and
report.json). Prints one COUNTS line and the reasons for any mismatch; exits 0 only when every
expected test came back exactly once and passed, nothing unexpected came back, and report.json
agrees (every expected file once, final state passed, test totals equal the inventory, one accepted
attempt per test). With --executions, also prints how often each test really ran (an EXECUTIONS
line): more than once is expected for tests of a shard that was killed or cut off, never a failure.
"""
import argparse
import collections
import json
import os
import sys
import xml.etree.ElementTree as ET


def junit_cases(path):
    """(key, outcome) for every <testcase>; key is `file::name`."""
    root = ET.parse(path).getroot()
    cases = []
    for case in root.iter("testcase"):
        file = case.get("file") or ""
        name = case.get("name") or ""
        key = f"{file}::{name}" if file else f"{case.get('classname', '')}::{name}"
        if case.find("failure") is not None:
            outcome = "failed"
        elif case.find("error") is not None:
            outcome = "error"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        cases.append((key, outcome))
    return cases


def get(obj, *names):
    """The first of `names` present in `obj` (the JSON may use camelCase or snake_case)."""
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--expected", required=True)
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--scenario", default="-")
    parser.add_argument("--executions", help="the suite's executions.log (one node id per test execution)")
    args = parser.parse_args()

    with open(args.expected) as f:
        expected = [line.strip() for line in f if line.strip()]
    expected_set = set(expected)
    expected_files = sorted({e.split("::", 1)[0] for e in expected})
    problems = []

    junit_path = os.path.join(args.run_dir, "junit.xml")
    report_path = os.path.join(args.run_dir, "report.json")
    cases = []
    if os.path.exists(junit_path):
        cases = junit_cases(junit_path)
    else:
        problems.append(f"no junit.xml in {args.run_dir}")

    counts = collections.Counter(key for key, _ in cases)
    received = {key for key in counts if key in expected_set}
    lost = sorted(expected_set - received)
    duplicated = sorted(key for key, n in counts.items() if n > 1)
    unexpected = sorted(key for key in counts if key not in expected_set)
    not_passed = sorted({key for key, outcome in cases if key in expected_set and outcome != "passed"})

    if lost:
        problems.append(f"{len(lost)} expected test(s) missing from junit.xml, e.g. {lost[:3]}")
    if duplicated:
        problems.append(f"{len(duplicated)} test(s) appear more than once in junit.xml, e.g. {duplicated[:3]}")
    if unexpected:
        problems.append(f"{len(unexpected)} testcase(s) not in the inventory, e.g. {unexpected[:3]}")
    if not_passed:
        problems.append(f"{len(not_passed)} test(s) did not pass, e.g. {not_passed[:3]}")

    report_tests = report_attempts = "-"
    if os.path.exists(report_path):
        with open(report_path) as f:
            report = json.load(f)
        files = get(report, "files") or []
        paths = collections.Counter(get(entry, "path") for entry in files)
        if sorted(paths) != expected_files or any(n != 1 for n in paths.values()):
            problems.append(
                f"report.json files differ from the inventory: {len(paths)} distinct of {len(expected_files)} expected, "
                f"missing {sorted(set(expected_files) - set(paths))[:3]}, "
                f"extra {sorted(set(paths) - set(expected_files))[:3]}, "
                f"repeated {[p for p, n in paths.items() if n > 1][:3]}"
            )
        bad_states = [(get(e, "path"), get(e, "state")) for e in files if get(e, "state") != "passed"]
        if bad_states:
            problems.append(f"{len(bad_states)} file(s) not passed in report.json, e.g. {bad_states[:3]}")
        tests = get(get(report, "summary") or {}, "tests") or {}
        report_tests = get(tests, "total")
        report_attempts = get(tests, "attempts")
        if report_tests != len(expected):
            problems.append(f"report.json summary.tests.total = {report_tests}, expected {len(expected)}")
        if get(tests, "passed") != len(expected):
            problems.append(f"report.json summary.tests.passed = {get(tests, 'passed')}, expected {len(expected)}")
        # Every test passes at its first attempt here (no retries are due), so more attempts than
        # tests would mean an attempt was counted twice.
        if report_attempts != len(expected):
            problems.append(f"report.json summary.tests.attempts = {report_attempts}, expected {len(expected)}")
    else:
        problems.append(f"no report.json in {args.run_dir}")

    print(
        f"COUNTS scenario={args.scenario} expected={len(expected)} received={len(received)} "
        f"lost={len(lost)} duplicated={len(duplicated)} unexpected={len(unexpected)} not_passed={len(not_passed)} "
        f"report_tests={report_tests} report_attempts={report_attempts}"
    )
    if args.executions and os.path.exists(args.executions):
        # Informational: a test in a shard that was killed, cut off or abandoned ran again elsewhere.
        # What counts is that the merged results hold it once (checked above).
        with open(args.executions) as f:
            runs = collections.Counter(line.strip() for line in f if line.strip())
        again = sorted(t for t, n in runs.items() if n > 1)
        print(
            f"EXECUTIONS scenario={args.scenario} total={sum(runs.values())} distinct={len(runs)} "
            f"ran_more_than_once={len(again)} never_ran={len(expected_set - set(runs))}"
            + (f" e.g. {again[:3]}" if again else "")
        )
    for problem in problems:
        print(f"MISMATCH {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
