extension StoredRun {
    /// Why a run exists. Stored in `run.kind`.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A full or partial run started with `run`.
        case run
        /// A run of part of an earlier run (`rerun --from RUN_ID`); its `parentRunID` names that run.
        case rerun
        /// A run that continues an interrupted one under a new id; its `parentRunID` names that run.
        /// (`run --resume RUN_ID` can also continue the same run: see ``HistoryStore/resumeRun(id:)``.)
        case resume
        /// Not a run at all: timing data brought in by `import`, so that its samples have an owner.
        case `import`

        /// The kinds a run of this kind is compared with ("previous comparable run", verdict
        /// history): a resumed run is still a run of the suite, so `run` and `resume` compare with
        /// each other; a rerun covers only part of the suite, so it compares with reruns; imports
        /// have no test outcomes and compare with nothing else.
        public var comparableKinds: [Kind] {
            switch self {
            case .run, .resume: [.run, .resume]
            case .rerun: [.rerun]
            case .import: [.import]
            }
        }
    }
}
