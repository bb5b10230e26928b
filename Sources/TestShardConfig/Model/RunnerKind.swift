/// Which test runner the suite uses: it decides the default `include` globs and `command`, and (in the
/// worker) how results are read.
public enum RunnerKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// pytest, writing JUnit XML via `--junitxml`.
    case pytest
    /// Node's built-in `node --test` with the JUnit reporter.
    case node
    /// `swift test` with `--xunit-output`; include and command must be configured.
    case swift
    /// Any command that writes JUnit XML; include and command must be configured.
    case junit

    /// The include globs used when `[suite] include` is absent, or `nil` when the runner needs them
    /// spelled out.
    public var defaultInclude: [String]? {
        switch self {
        case .pytest: ["tests/**/test_*.py", "tests/**/*_test.py"]
        case .node: ["test/**/*.test.js", "test/**/*.test.mjs"]
        case .swift, .junit: nil
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
        case .swift, .junit:
            nil
        }
    }
}
