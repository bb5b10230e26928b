extension StoredRun {
    /// Where a run stands. Stored in `run.status`.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The coordinator is serving it (or died while serving it: see ``HistoryStore/resumeRun(id:)``).
        case running
        /// The queue drained: every expected item got a final state.
        case completed
        /// The coordinator stopped before the end (signal, crash noticed on restart); resumable.
        case interrupted
        /// The run ended on purpose before every item ran (deadline, cancel); its results are real
        /// but partial.
        case cutShort = "cut_short"

        /// Whether a run in this state can serve as the "previous comparable run" of a later one.
        public var isComparable: Bool { self == .completed || self == .cutShort }
    }
}
