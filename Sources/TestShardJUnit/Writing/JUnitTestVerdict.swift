import TestShardModel

/// The final word on one test over all its attempts, and how each attempt is shown in the merged
/// JUnit (Surefire's rerun conventions, which Jenkins, GitLab and junitparser understand).
///
/// | attempts                        | verdict | elements                                        |
/// |---------------------------------|---------|-------------------------------------------------|
/// | failed, …, passed               | passed  | `<flakyFailure>`/`<flakyError>` per failure      |
/// | failed, failed, …               | failed  | `<failure>`/`<error>` then `<rerunFailure>`/`<rerunError>` |
/// | passed only                     | passed  | none                                            |
/// | skipped only                    | skipped | `<skipped>`                                     |
///
/// Skipped attempts next to real outcomes are ignored: a retry that skips says nothing new.
struct JUnitTestVerdict {
    enum Element: Equatable {
        case failure(TestCaseResult)
        case error(TestCaseResult)
        case rerunFailure(TestCaseResult)
        case rerunError(TestCaseResult)
        case flakyFailure(TestCaseResult)
        case flakyError(TestCaseResult)
        case skipped(TestCaseResult)
    }

    /// The status the merged file reports.
    let status: TestStatus
    /// The attempt whose duration is reported.
    let decisive: TestCaseResult
    let elements: [Element]

    /// - Precondition: `attempts` is not empty (one test's attempts, in the order they ran).
    init(attempts: [TestCaseResult]) {
        precondition(!attempts.isEmpty, "a verdict needs at least one attempt")
        let failing = attempts.filter { $0.status.isFailure }
        if let pass = attempts.first(where: { $0.status == .passed }) {
            status = .passed
            decisive = pass
            elements = failing.map { $0.status == .error ? .flakyError($0) : .flakyFailure($0) }
        } else if let first = failing.first {
            status = first.status
            decisive = first
            elements =
                [first.status == .error ? .error(first) : .failure(first)]
                + failing.dropFirst().map { $0.status == .error ? .rerunError($0) : .rerunFailure($0) }
        } else {
            status = .skipped
            decisive = attempts[0]
            elements = [.skipped(attempts[0])]
        }
    }

    /// Whether the test failed at least once and then passed.
    var isFlaky: Bool { status == .passed && !elements.isEmpty }
}
