import TestShardModel

/// `[[affects]]`: when a changed path matches `sources`, the test files matching `tests` are selected
/// by `run --changed-since`.
public struct AffectsConfiguration: Sendable, Hashable {
    /// Source paths (relative to the suite root) whose change matters.
    public var sources: [Glob]
    /// The test files to run when one of them changed.
    public var tests: [Glob]

    public init(sources: [Glob], tests: [Glob]) {
        self.sources = sources
        self.tests = tests
    }

    /// Whether a change to `path` triggers this rule.
    public func isTriggered(by path: String) -> Bool {
        sources.contains { $0.matches(path) }
    }
}
