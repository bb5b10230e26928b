import TestShardJUnit

/// Which conventions the shard's command follows, as far as the worker's shell cares: how items
/// become arguments, how many processes a shard takes, and how results are read and named. The
/// same names as the config's `runner` (`RunnerKind`).
///
/// | runner   | `{files}` becomes                                   | processes         | result ids                          |
/// |----------|-----------------------------------------------------|-------------------|-------------------------------------|
/// | `pytest` | the items (paths and node ids)                      | one               | pytest's node ids                   |
/// | `node`   | the file, plus `--test-name-pattern=^name$` per test | one per file      | `file::describe…::name`             |
/// | `swift`  | `--filter REGEX` per item                           | one               | `file::Suite…::name()` / `::Class::testX` |
/// | `junit`  | the items (files only)                              | one               | what the JUnit says                 |
public enum ShardRunnerKind: String, Sendable, Codable, CaseIterable {
    /// pytest: the progress plugin is loaded, exit 5 ("no tests collected") is a normal end, JUnit
    /// class names are dotted module paths.
    case pytest
    /// `node --test` with the JUnit reporter, whose XML names no files: each file of the shard runs
    /// in a process of its own, so every result belongs to the file that ran.
    case node
    /// `swift test --xunit-output`: items are test source files, selected with `--filter` on the
    /// suites and tests each file declares; results are mapped back to files the same way.
    case swift
    /// Any command that writes JUnit XML: exit 0 is success, anything else with failing tests in
    /// the JUnit is "tests failed". Items are whole files only.
    case junit

    /// Whether one test of a file (`path::test`) can be run on its own. A shard holding such an
    /// item for a runner that cannot is refused.
    public var supportsTestItems: Bool { self != .junit }

    /// How the runner's JUnit reads when no file explains a test case.
    var dialect: JUnitReader.Dialect {
        switch self {
        case .pytest: .pytest
        case .node: .node
        case .swift, .junit: .generic
        }
    }
}
