/// Which conventions the shard's command follows, as far as the worker's shell cares.
public enum ShardRunnerKind: String, Sendable, Codable, CaseIterable {
    /// pytest: the progress plugin is loaded, exit 5 ("no tests collected") is a normal end, JUnit
    /// class names are dotted module paths.
    case pytest
    /// Any command that writes JUnit XML (node:test, swift test, …): exit 0 is success, anything
    /// else with failing tests in the JUnit is "tests failed".
    case other
}
