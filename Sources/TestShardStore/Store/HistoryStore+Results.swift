import Foundation
import GRDB
import TestShardModel

extension HistoryStore {
    // MARK: - Writing results

    /// Records one shard attempt with its test attempts and duration samples in one transaction,
    /// and folds the passing samples into the duration windows, so the next plan sees them.
    ///
    /// Idempotent by `(runID, shardID, attempt)`: a second accepted record of the same attempt (or a
    /// second discarded one) throws `duplicateShardAttempt` and changes nothing, so a result can
    /// never be counted twice. A discarded attempt (`accepted == false`, a late result after its
    /// lease expired) is kept for the execution log only and must come with no tests and no samples.
    ///
    /// The test records must belong to the attempt's run; their shard id and attempt, when set, must
    /// match it, and are filled in when `nil`. Samples are stored with source ``StoredSample/Source/run``.
    ///
    /// - Returns: the attempt as stored (with its ``StoredShardAttempt/rowID``).
    @discardableResult
    public func recordShardAttempt(
        _ attempt: StoredShardAttempt,
        tests: [StoredTestAttempt],
        samples: [MeasuredDuration]
    ) throws(HistoryStoreError) -> StoredShardAttempt {
        let label = "shard \(attempt.shardID) attempt \(attempt.attempt) of run \(attempt.runID)"
        if !attempt.accepted && (!tests.isEmpty || !samples.isEmpty) {
            throw invalid(
                "\(label) is a discarded late result, yet came with \(tests.count) test results and \(samples.count) "
                    + "samples; a discarded attempt is recorded without them, so that they are never counted"
            )
        }
        var tests = tests
        for index in tests.indices {
            let test = tests[index]
            guard !test.testID.isEmpty else { throw invalid("\(label): a test result has an empty test id") }
            guard test.runID == attempt.runID,
                test.shardID == nil || test.shardID == attempt.shardID,
                test.shardAttempt == nil || test.shardAttempt == attempt.attempt
            else {
                throw invalid(
                    "\(label): the result of \(test.testID) says run \(test.runID), shard \(test.shardID.map(String.init) ?? "-"), "
                        + "attempt \(test.shardAttempt.map(String.init) ?? "-"); nothing was recorded"
                )
            }
            try requireDuration(test.duration, of: "\(test.testID) in \(label)")
            tests[index].shardID = attempt.shardID
            tests[index].shardAttempt = attempt.attempt
        }
        try validate(samples, in: label)
        return try writing { db in
            _ = try requireRun(db, attempt.runID)
            let taken =
                try StoredShardAttempt
                .filter(
                    StoredShardAttempt.Columns.runID == attempt.runID
                        && StoredShardAttempt.Columns.shardID == attempt.shardID
                        && StoredShardAttempt.Columns.attempt == attempt.attempt
                        && StoredShardAttempt.Columns.accepted == attempt.accepted
                )
                .fetchCount(db)
            if taken > 0 {
                throw HistoryStoreError(
                    code: .duplicateShardAttempt,
                    message: "\(label) was already recorded\(attempt.accepted ? "" : " as a late result"); "
                        + "this second result was not counted",
                    path: path
                )
            }
            var stored = attempt
            stored.rowID = nil
            try stored.insert(db)
            // One prepared statement, not a record insert per test: a shard of 2500 tests spent
            // 0.15 s in GRDB's per-record encoding, on the coordinator that hands out the next shard.
            let insertTest = try db.cachedStatement(sql: Self.insertTestAttemptSQL)
            for test in tests {
                try insertTest.execute(arguments: [
                    test.runID, stored.rowID, test.shardID, test.shardAttempt, test.testID, test.file,
                    test.classname, test.name, test.retryIndex, test.workerID, test.status.rawValue, test.duration,
                    test.failureType, test.failureMessage, test.failureDetails, test.failurePhase?.rawValue,
                    test.skipReason, test.signature, test.quarantined,
                ])
            }
            try insertSamples(db, samples, runID: attempt.runID, source: .run)
            return stored
        }
    }

    /// Every column of `test_attempt` but its row id, in `StoredTestAttempt`'s encoding (enums by raw
    /// value, `quarantined` as 0/1).
    static let insertTestAttemptSQL = """
        INSERT INTO test_attempt (
            run_id, shard_attempt_id, shard_id, shard_attempt, test_id, file, classname, name, retry_index,
            worker_id, status, duration, failure_type, failure_message, failure_details, failure_phase,
            skip_reason, signature, quarantined
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Every column of `test_attempt`, in the order ``testAttempt(_:)`` reads them by position.
    static let selectTestAttemptSQL = """
        SELECT
            id, run_id, shard_attempt_id, shard_id, shard_attempt, test_id, file, classname, name, retry_index,
            worker_id, status, duration, failure_type, failure_message, failure_details, failure_phase,
            skip_reason, signature, quarantined
        FROM test_attempt
        """

    /// The test attempts a query built on ``selectTestAttemptSQL`` returns, read by column
    /// position. GRDB's `Decodable` records look each column up by name through a decoder: for the
    /// report of a 15,000-test run the whole snapshot took 0.22-0.34 s that way and 0.16-0.21 s
    /// with this (0.08 s of it these rows).
    func fetchTestAttempts(_ db: Database, sql: String, arguments: StatementArguments) throws -> [StoredTestAttempt] {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        var attempts: [StoredTestAttempt] = []
        while let row = try rows.next() {
            attempts.append(try testAttempt(row))
        }
        return attempts
    }

    /// One row of ``selectTestAttemptSQL``. A value of the wrong type throws (GRDB's decoding
    /// error, which names the column) rather than stopping the process.
    private func testAttempt(_ row: Row) throws -> StoredTestAttempt {
        let rowID: Int64 = try row.decode(atIndex: 0)
        let statusText: String = try row.decode(atIndex: 11)
        guard let status = TestStatus(rawValue: statusText) else {
            throw HistoryStoreError(
                code: .corrupt,
                message: "test_attempt row \(rowID): status \(statusText.debugDescription) is not one of "
                    + TestStatus.allCases.map(\.rawValue).joined(separator: ", "),
                path: path
            )
        }
        let phaseText: String? = try row.decode(atIndex: 16)
        let phase = try phaseText.map { text throws(HistoryStoreError) in
            guard let phase = TestPhase(rawValue: text) else {
                throw HistoryStoreError(
                    code: .corrupt,
                    message: "test_attempt row \(rowID): failure phase \(text.debugDescription) is not a test phase",
                    path: path
                )
            }
            return phase
        }
        var attempt = StoredTestAttempt(
            runID: try row.decode(atIndex: 1),
            shardAttemptRowID: try row.decode(atIndex: 2),
            shardID: try row.decode(atIndex: 3),
            shardAttempt: try row.decode(atIndex: 4),
            testID: try row.decode(atIndex: 5),
            file: try row.decode(atIndex: 6),
            classname: try row.decode(atIndex: 7),
            name: try row.decode(atIndex: 8),
            retryIndex: try row.decode(atIndex: 9),
            workerID: try row.decode(atIndex: 10),
            status: status,
            duration: try row.decode(atIndex: 12),
            skipReason: try row.decode(atIndex: 17),
            signature: try row.decode(atIndex: 18),
            quarantined: try row.decode(atIndex: 19)
        )
        attempt.rowID = rowID
        attempt.failureType = try row.decode(atIndex: 13)
        attempt.failureMessage = try row.decode(atIndex: 14)
        attempt.failureDetails = try row.decode(atIndex: 15)
        attempt.failurePhase = phase
        return attempt
    }

    /// Sets the final state of expected items, all or none: an item that is not in the run's
    /// inventory throws `unknownItem` and nothing changes.
    public func recordItemFinalStates(
        runID: String,
        _ states: [String: StoredRunItem.Outcome]
    ) throws(HistoryStoreError) {
        try writing { db in
            _ = try requireRun(db, runID)
            let update = try db.cachedStatement(
                sql: """
                    UPDATE run_item SET final_state = ?, reason = ?, detail = ?, shard_id = ?, shard_attempt = ?
                    WHERE run_id = ? AND item = ?
                    """
            )
            for (item, outcome) in states.sorted(by: { $0.key < $1.key }) {
                try update.execute(arguments: [
                    outcome.state.rawValue, outcome.reason, outcome.detail, outcome.shardID, outcome.shardAttempt,
                    runID,
                    item,
                ])
                if db.changesCount == 0 {
                    throw HistoryStoreError(
                        code: .unknownItem,
                        message: "item \(item.debugDescription) is not in the expected inventory of run \(runID); "
                            + "no final state was recorded (record the inventory first with recordExpectedItems)",
                        path: path
                    )
                }
            }
        }
    }

    /// Stores the report's error-signature ids on test attempts, by ``StoredTestAttempt/rowID``,
    /// all or none: an unknown row id throws `invalidValue`.
    public func setSignatures(_ signatures: [Int64: String]) throws(HistoryStoreError) {
        try writing { db in
            let update = try db.cachedStatement(sql: "UPDATE test_attempt SET signature = ? WHERE id = ?")
            for (rowID, signature) in signatures.sorted(by: { $0.key < $1.key }) {
                try update.execute(arguments: [signature, rowID])
                if db.changesCount == 0 {
                    throw invalid("there is no test attempt with row id \(rowID); no signature was stored")
                }
            }
        }
    }

    // MARK: - Reading results

    /// The run's expected inventory, in the order it was recorded, with final states.
    public func runItems(runID: String) throws(HistoryStoreError) -> [StoredRunItem] {
        try reading { db in
            try StoredRunItem.filter(StoredRunItem.Columns.runID == runID).order(StoredRunItem.Columns.position)
                .fetchAll(db)
        }
    }

    /// Per run, how many expected items ended in each state (undecided items are not counted): the
    /// Δ column against the previous run, and mass-failure checks over the history window.
    public func itemStateCounts(runIDs: [String]) throws(HistoryStoreError) -> [String: [StoredRunItem.State: Int]] {
        guard !runIDs.isEmpty else { return [:] }
        let list = try jsonArray(runIDs)
        return try reading { db in
            var counts: [String: [StoredRunItem.State: Int]] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT run_id, final_state, count(*) FROM run_item
                    WHERE run_id IN (SELECT value FROM json_each(?)) AND final_state IS NOT NULL
                    GROUP BY run_id, final_state
                    """,
                arguments: [list]
            )
            for row in rows {
                let raw: String = row[1]
                guard let state = StoredRunItem.State(rawValue: raw) else {
                    throw HistoryStoreError(
                        code: .corrupt,
                        message:
                            "\(displayName) holds item state \(raw.debugDescription), which this TestShard does not know",
                        path: path
                    )
                }
                counts[row[0], default: [:]][state] = row[2]
            }
            return counts
        }
    }

    /// The run's shard attempts by start time (then shard, attempt), with or without the discarded
    /// late results.
    public func shardAttempts(
        runID: String,
        includingDiscarded: Bool = true
    ) throws(HistoryStoreError)
        -> [StoredShardAttempt]
    {
        try reading { db in try shardAttempts(db, runID: runID, includingDiscarded: includingDiscarded) }
    }

    /// The run's test attempts in the order they were recorded, optionally only of some tests.
    public func testAttempts(runID: String, testIDs: [String]? = nil) throws(HistoryStoreError) -> [StoredTestAttempt] {
        try reading { db in
            guard let testIDs else {
                return try fetchTestAttempts(
                    db,
                    sql: Self.selectTestAttemptSQL + " WHERE run_id = ? ORDER BY id",
                    arguments: [runID]
                )
            }
            // The ids as one JSON array: no limit on bound variables however many are asked for.
            let list = String(decoding: try JSONEncoder().encode(testIDs), as: UTF8.self)
            return try fetchTestAttempts(
                db,
                sql: Self.selectTestAttemptSQL
                    + " WHERE run_id = ? AND test_id IN (SELECT value FROM json_each(?)) ORDER BY id",
                arguments: [runID, list]
            )
        }
    }

    /// Everything recorded for the run, read on one snapshot, without changing it (for `--resume`
    /// use ``resumeRun(id:)``, which also marks the run running).
    public func snapshot(runID: String) throws(HistoryStoreError) -> StoredRunSnapshot {
        try reading { db in try snapshot(db, runID: runID) }
    }

    func snapshot(_ db: Database, runID: String) throws -> StoredRunSnapshot {
        let run = try requireRun(db, runID)
        let items = try StoredRunItem.filter(StoredRunItem.Columns.runID == runID)
            .order(StoredRunItem.Columns.position)
            .fetchAll(db)
        let workers = try StoredWorker.filter(StoredWorker.Columns.runID == runID)
            .order(StoredWorker.Columns.joinedAt, Column("worker_id"))
            .fetchAll(db)
        let attempts =
            try StoredShardAttempt
            .filter(StoredShardAttempt.Columns.runID == runID && StoredShardAttempt.Columns.accepted == true)
            .order(StoredShardAttempt.Columns.rowID)
            .fetchAll(db)
        // Test attempts exist only for accepted shard attempts (recordShardAttempt refuses them on
        // discarded ones), so the run's test attempts are exactly those of `attempts`.
        let tests = try fetchTestAttempts(
            db,
            sql: Self.selectTestAttemptSQL + " WHERE run_id = ? ORDER BY id",
            arguments: [runID]
        )
        return StoredRunSnapshot(run: run, items: items, workers: workers, shardAttempts: attempts, testAttempts: tests)
    }

    func shardAttempts(_ db: Database, runID: String, includingDiscarded: Bool) throws -> [StoredShardAttempt] {
        var request = StoredShardAttempt.filter(StoredShardAttempt.Columns.runID == runID)
        if !includingDiscarded { request = request.filter(StoredShardAttempt.Columns.accepted == true) }
        return try request.order(
            StoredShardAttempt.Columns.startedAt,
            StoredShardAttempt.Columns.shardID,
            StoredShardAttempt.Columns.attempt,
            StoredShardAttempt.Columns.rowID
        )
        .fetchAll(db)
    }
}
