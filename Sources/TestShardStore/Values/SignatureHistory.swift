/// Per failure signature, how many test attempts carried it in each comparable run: what a
/// cluster's ONGOING age ("failing for n runs, since run X") is counted from.
public struct SignatureHistory: Sendable, Hashable {
    /// The comparable runs, newest first; `runs[0]` is the run the history was asked for.
    public var runs: [StoredRun]
    /// Signature → one count per run, aligned with ``runs`` (0 where the run did not see it). Only
    /// signatures seen in at least one of these runs appear.
    public var attempts: [String: [Int]]

    public init(runs: [StoredRun], attempts: [String: [Int]]) {
        self.runs = runs
        self.attempts = attempts
    }
}
