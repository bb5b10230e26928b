/// How one attempt of one test ended, as the runner's result file says.
public enum TestStatus: String, Codable, Sendable, CaseIterable, Comparable {
    /// The test ran and passed.
    case passed
    /// An assertion in the test failed (JUnit `<failure>`).
    case failed
    /// The test could not run or crashed outside its assertions: a fixture, setup or teardown
    /// raised, or the file did not import (JUnit `<error>`).
    case error
    /// The runner skipped the test (JUnit `<skipped>`), including expected failures.
    case skipped

    /// Whether this attempt counts against the run.
    public var isFailure: Bool { self == .failed || self == .error }

    /// Orders statuses from best to worst, so `max()` picks the one that matters most.
    private var rank: Int {
        switch self {
        case .skipped: 0
        case .passed: 1
        case .failed: 2
        case .error: 3
        }
    }

    public static func < (lhs: TestStatus, rhs: TestStatus) -> Bool { lhs.rank < rhs.rank }
}

/// The part of a test run the failure happened in (pytest reports setup and teardown errors apart).
public enum TestPhase: String, Codable, Sendable {
    case setup
    case call
    case teardown
    case collection
}

/// What went wrong in a failed or errored test attempt.
public struct TestFailure: Codable, Sendable, Hashable {
    /// The exception type when the runner names one (`RuntimeError`, `AssertionError`).
    public var type: String?
    /// The one-line message (`RuntimeError: Failed to start Docker services`).
    public var message: String
    /// The long text (traceback, captured output), already cut to a bounded size by whoever built it.
    public var details: String
    /// The phase the failure happened in, when known.
    public var phase: TestPhase?

    public init(type: String? = nil, message: String, details: String = "", phase: TestPhase? = nil) {
        self.type = type
        self.message = message
        self.details = details
        self.phase = phase
    }
}

/// One attempt of one test, as parsed from a runner's JUnit XML.
public struct TestCaseResult: Codable, Sendable, Hashable {
    /// The runner's stable id of the test, rooted at the suite root: `tests/a.py::TestX::test_y`.
    public var id: String
    /// The test file, relative to the suite root.
    public var file: String
    /// JUnit `classname` as the runner wrote it.
    public var classname: String
    /// JUnit `name` as the runner wrote it.
    public var name: String
    public var status: TestStatus
    /// Seconds, as the runner measured them.
    public var duration: Double
    public var failure: TestFailure?
    /// The reason given for a skip, if any.
    public var skipReason: String?

    public init(
        id: String,
        file: String,
        classname: String,
        name: String,
        status: TestStatus,
        duration: Double,
        failure: TestFailure? = nil,
        skipReason: String? = nil
    ) {
        self.id = id
        self.file = file
        self.classname = classname
        self.name = name
        self.status = status
        self.duration = duration
        self.failure = failure
        self.skipReason = skipReason
    }
}
