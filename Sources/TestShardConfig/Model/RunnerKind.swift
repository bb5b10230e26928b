/// Which test runner the suite uses: it decides the default `include` globs and `command`, whether
/// single tests of a file can be run on their own, and (in the worker) how items become arguments
/// and how results are read.
///
/// | runner   | item                                   | one test of a file                    | results                                   |
/// |----------|----------------------------------------|---------------------------------------|-------------------------------------------|
/// | `pytest` | `tests/test_a.py`, `…::TestX::test_y`   | the node id itself                    | `--junitxml`, `file` attributes (xunit1)  |
/// | `node`   | `test/a.test.mjs`, `…::describe::name`  | `--test-name-pattern`, one run a file | `--test-reporter=junit`, one file a run   |
/// | `swift`  | `Tests/T/FooTests.swift`, `…::Suite::f()` | `--filter` on the test's identifier   | `--xunit-output` (XCTest + swift-testing) |
/// | `junit`  | any file the command takes             | not possible: files only              | whatever JUnit XML the command writes     |
public enum RunnerKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// pytest, writing JUnit XML via `--junitxml`.
    case pytest
    /// Node's built-in `node --test` with the JUnit reporter.
    case node
    /// `swift test` with `--xunit-output`; items are test source files.
    case swift
    /// Any command that writes JUnit XML; include and command must be configured.
    case junit

    /// The include globs used when `[suite] include` is absent, or `nil` when the runner needs them
    /// spelled out.
    public var defaultInclude: [String]? {
        switch self {
        case .pytest: ["tests/**/test_*.py", "tests/**/*_test.py"]
        case .node: ["test/**/*.test.js", "test/**/*.test.mjs"]
        // SwiftPM's default place for test targets: `Tests/<Target>/…`.
        case .swift: ["Tests/**/*.swift"]
        case .junit: nil
        }
    }

    /// The command used when `[suite] command` is absent, or `nil` when the runner needs one spelled out.
    public var defaultCommand: String? {
        switch self {
        case .pytest:
            // xunit1 keeps the `file` attribute on each testcase, which maps results back to files.
            "python3 -m pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml={junit} {files}"
        case .node:
            "node --test --test-reporter=junit --test-reporter-destination={junit} {files}"
        case .swift:
            // The worker builds once (`swift build --build-tests`) before its first shard, so each
            // shard skips the build; `--ignore-lock` lets shards of several workers sharing one
            // checkout run at once (SwiftPM otherwise serialises every command on `.build`);
            // `--parallel` is what makes XCTest write its xunit file.
            "swift test --skip-build --ignore-lock --parallel --xunit-output {junit} {files}"
        case .junit:
            nil
        }
    }

    /// Whether a run cuts a file longer than the ideal shard into its tests. The file then also runs
    /// as a whole-file remainder item (for tests without history) that must leave the split-out
    /// tests out; only pytest's plugin can (`TESTSHARD_DESELECT_FILE`), so node and swift files
    /// stay whole, though their tests can be retried one by one.
    public var cutsLongFiles: Bool { self == .pytest }

    /// Whether the runner can run one test of a file on its own (`path::test` items).
    ///
    /// When `false` (the generic `junit` runner), the coordinator must hand out whole files only:
    /// it must not cut a long file into its tests when planning, and must not retry a failed test
    /// on its own (a retry would be a `path::test` item). A worker refuses such items for it.
    public var supportsTestItems: Bool {
        switch self {
        case .pytest, .node, .swift: true
        case .junit: false
        }
    }
}
