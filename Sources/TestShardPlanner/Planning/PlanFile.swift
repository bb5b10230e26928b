/// One test of a file, with its expected duration, for a file the planner may split.
public struct PlanTest: Sendable, Hashable {
    /// The test part of the node id, after the file's `::` (`TestUsers::test_create`).
    public var name: String
    /// Expected seconds.
    public var seconds: Double

    /// Creates a test entry.
    public init(name: String, seconds: Double) {
        self.name = name
        self.seconds = seconds
    }
}

/// One file to plan: its estimate and, when history has them, its tests' estimates.
///
/// A file with at least two test estimates may be cut into test items when it alone would
/// hold up the run. Tests without history are not listed here, so a cut file runs only the
/// listed tests: the caller adds the file's other tests (see `Plan.splitFiles`).
public struct PlanFile: Sendable, Hashable {
    /// Path relative to the suite root.
    public var path: String
    /// Expected seconds for the whole file, and where that figure came from.
    public var estimate: Estimate
    /// Per-test estimates (empty when the file has none); order does not matter.
    public var tests: [PlanTest]

    /// Creates a file entry.
    public init(path: String, estimate: Estimate, tests: [PlanTest] = []) {
        self.path = path
        self.estimate = estimate
        self.tests = tests
    }
}
