extension StoredSample {
    /// Where a duration sample came from. Stored in `duration_sample.source`.
    public enum Source: String, Codable, Sendable, CaseIterable {
        /// Measured by a TestShard run.
        case run
        /// Imported from pytest-split's `.test_durations`.
        case importPytestSplit = "import:pytest-split"
        /// Imported from a knapsack report.
        case importKnapsack = "import:knapsack"
        /// Imported from JUnit XML of earlier CI runs.
        case importJUnit = "import:junit"
    }
}
