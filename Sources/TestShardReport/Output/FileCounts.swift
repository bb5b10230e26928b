/// Files by final state. Every expected file is in exactly one bucket, so the buckets add up to
/// `files`.
public struct FileCounts: Codable, Sendable, Hashable {
    public var files: Int
    public var passed: Int
    public var failed: Int
    public var flaky: Int
    public var skipped: Int
    public var quarantinedFailed: Int
    public var notRun: Int

    public init(
        files: Int = 0,
        passed: Int = 0,
        failed: Int = 0,
        flaky: Int = 0,
        skipped: Int = 0,
        quarantinedFailed: Int = 0,
        notRun: Int = 0
    ) {
        self.files = files
        self.passed = passed
        self.failed = failed
        self.flaky = flaky
        self.skipped = skipped
        self.quarantinedFailed = quarantinedFailed
        self.notRun = notRun
    }

    /// Adds one file in `state`.
    mutating func add(_ state: FileState) {
        files += 1
        switch state {
        case .passed: passed += 1
        case .failed: failed += 1
        case .flaky: flaky += 1
        case .skipped: skipped += 1
        case .quarantinedFailed: quarantinedFailed += 1
        case .notRun: notRun += 1
        }
    }

    /// `self − other`, bucket by bucket (the Δ column).
    public func delta(from other: FileCounts) -> FileCounts {
        FileCounts(
            files: files - other.files,
            passed: passed - other.passed,
            failed: failed - other.failed,
            flaky: flaky - other.flaky,
            skipped: skipped - other.skipped,
            quarantinedFailed: quarantinedFailed - other.quarantinedFailed,
            notRun: notRun - other.notRun
        )
    }
}
