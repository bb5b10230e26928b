import TestShardModel

/// The test cases read from one JUnit file and whether the file was whole.
public struct JUnitReadResult: Sendable, Hashable {
    /// One result per test, in document order. Two `<testcase>` elements with the same id (pytest
    /// writes a second one for a teardown error after a failed call) are merged into one.
    public var tests: [TestCaseResult]
    /// Whether the file was complete; when it is not, `tests` holds what was readable before the
    /// damage.
    public var state: JUnitFileState
    /// Why the state is not `ok`, with the parser's words and the position, for the shard's log.
    public var reason: String?

    public init(tests: [TestCaseResult], state: JUnitFileState, reason: String? = nil) {
        self.tests = tests
        self.state = state
        self.reason = reason
    }
}
