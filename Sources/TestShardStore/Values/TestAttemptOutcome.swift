import TestShardModel

/// The part of one test attempt that verdicts, flakiness scores and history statuses need.
public struct TestAttemptOutcome: Sendable, Hashable, Codable {
    public var status: TestStatus
    /// 0 for the first attempt in the run, 1 for the first retry, ...
    public var retryIndex: Int
    /// The error-signature id, once the report filled it in.
    public var signature: String?
    public var quarantined: Bool
    public var workerID: String?

    public init(
        status: TestStatus,
        retryIndex: Int,
        signature: String? = nil,
        quarantined: Bool = false,
        workerID: String? = nil
    ) {
        self.status = status
        self.retryIndex = retryIndex
        self.signature = signature
        self.quarantined = quarantined
        self.workerID = workerID
    }
}
