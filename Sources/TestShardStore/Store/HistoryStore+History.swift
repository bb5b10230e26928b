import Foundation
import GRDB
import TestShardModel

extension HistoryStore {
    // MARK: - Verdict history

    /// Per test, the attempts in `runID`'s run and in up to `runs - 1` comparable runs before it
    /// (see ``comparableRuns(endingAt:limit:matchingBranch:)``): what verdicts (P/F/K/X), the
    /// flakiness score, failing streaks and NEW/ONGOING/FIXED are computed from.
    ///
    /// - Parameter testIDs: the tests to look at, or `nil` for every test with an attempt in those
    ///   runs (for a large suite, pass the candidates — e.g. ``failedTestIDs(runIDs:)`` — instead).
    public func testVerdictHistory(
        testIDs: [String]?,
        endingAt runID: String,
        runs limit: Int,
        matchingBranch: Bool = false
    ) throws(HistoryStoreError) -> VerdictHistory {
        let testList = try testIDs.map { ids throws(HistoryStoreError) in try jsonArray(ids) }
        return try reading { db in
            let runs = try comparableRuns(db, endingAt: runID, limit: limit, matchingBranch: matchingBranch)
            guard !runs.isEmpty else { return VerdictHistory(runs: [], attempts: [:]) }
            var position: [String: Int] = [:]
            for (index, run) in runs.enumerated() { position[run.id] = index }
            var sql = """
                SELECT run_id, test_id, status, retry_index, signature, quarantined, worker_id FROM test_attempt
                WHERE run_id IN (SELECT value FROM json_each(?))
                """
            var arguments: StatementArguments = [try jsonArray(runs.map(\.id))]
            if let testList {
                sql += " AND test_id IN (SELECT value FROM json_each(?))"
                arguments += [testList]
            }
            sql += " ORDER BY test_id, retry_index, id"
            var attempts: [String: [[TestAttemptOutcome]]] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                guard let index = position[row[0]] else { continue }
                let testID: String = row[1]
                let outcome = TestAttemptOutcome(
                    status: try status(row[2], of: testID),
                    retryIndex: row[3],
                    signature: row[4],
                    quarantined: row[5],
                    workerID: row[6]
                )
                attempts[testID, default: Array(repeating: [], count: runs.count)][index].append(outcome)
            }
            return VerdictHistory(runs: runs, attempts: attempts)
        }
    }

    /// The tests with a failed or errored attempt in any of these runs: the candidates whose
    /// history the report needs (NEW/ONGOING/FLAKY), without loading every passing test.
    public func failedTestIDs(runIDs: [String]) throws(HistoryStoreError) -> Set<String> {
        guard !runIDs.isEmpty else { return [] }
        let list = try jsonArray(runIDs)
        return try reading { db in
            try String.fetchSet(
                db,
                sql: """
                    SELECT DISTINCT test_id FROM test_attempt
                    WHERE run_id IN (SELECT value FROM json_each(?)) AND status IN ('failed', 'error')
                    """,
                arguments: [list]
            )
        }
    }

    /// Per signature, how many test attempts carried it in `runID`'s run and in up to `runs - 1`
    /// comparable runs before it (signatures are those ``setSignatures(_:)`` stored).
    ///
    /// - Parameter signatures: the signatures to look at, or `nil` for all seen in those runs.
    public func signatureHistory(
        signatures: [String]?,
        endingAt runID: String,
        runs limit: Int,
        matchingBranch: Bool = false
    ) throws(HistoryStoreError) -> SignatureHistory {
        let signatureList = try signatures.map { ids throws(HistoryStoreError) in try jsonArray(ids) }
        return try reading { db in
            let runs = try comparableRuns(db, endingAt: runID, limit: limit, matchingBranch: matchingBranch)
            guard !runs.isEmpty else { return SignatureHistory(runs: [], attempts: [:]) }
            var position: [String: Int] = [:]
            for (index, run) in runs.enumerated() { position[run.id] = index }
            var sql = """
                SELECT signature, run_id, count(*) FROM test_attempt
                WHERE run_id IN (SELECT value FROM json_each(?)) AND signature IS NOT NULL
                """
            var arguments: StatementArguments = [try jsonArray(runs.map(\.id))]
            if let signatureList {
                sql += " AND signature IN (SELECT value FROM json_each(?))"
                arguments += [signatureList]
            }
            sql += " GROUP BY signature, run_id"
            var counts: [String: [Int]] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                guard let index = position[row[1]] else { continue }
                counts[row[0], default: Array(repeating: 0, count: runs.count)][index] = row[2]
            }
            return SignatureHistory(runs: runs, attempts: counts)
        }
    }

    private func status(_ raw: String, of testID: String) throws -> TestStatus {
        guard let status = TestStatus(rawValue: raw) else {
            throw HistoryStoreError(
                code: .corrupt,
                message: "\(displayName) holds status \(raw.debugDescription) for \(testID), which this TestShard "
                    + "does not know",
                path: path
            )
        }
        return status
    }

    // MARK: - Failure signatures

    /// Records that these signatures were seen in `runID` (at `seenAt`, Unix seconds): a signature
    /// never seen before gets `runID` as its first run; a known one moves its last-seen run forward
    /// (keeping the one before as `previousSeenRun`) and takes the new title and files. Recording
    /// the same run again (a resumed run) only merges the files and updates the title.
    public func recordSignaturesSeen(
        runID: String,
        at seenAt: Double,
        _ sightings: [SignatureSighting]
    )
        throws(HistoryStoreError)
    {
        guard seenAt.isFinite else { throw invalid("signatures seen at \(seenAt), not a time in Unix seconds") }
        var merged: [String: SignatureSighting] = [:]
        for sighting in sightings {
            guard !sighting.signature.isEmpty else {
                throw invalid("run \(runID): a signature sighting has an empty id")
            }
            if var known = merged[sighting.signature] {
                known.files += sighting.files
                known.title = sighting.title
                merged[sighting.signature] = known
            } else {
                merged[sighting.signature] = sighting
            }
        }
        try writing { db in
            _ = try requireRun(db, runID)
            for (signature, sighting) in merged.sorted(by: { $0.key < $1.key }) {
                let files = Array(Set(sighting.files)).sorted()
                guard var record = try StoredSignature.fetchOne(db, key: signature) else {
                    try StoredSignature(
                        signature: signature,
                        title: sighting.title,
                        lastFiles: files,
                        firstSeenRun: runID,
                        firstSeenAt: seenAt,
                        lastSeenRun: runID,
                        lastSeenAt: seenAt
                    )
                    .insert(db)
                    continue
                }
                record.title = sighting.title
                if record.lastSeenRun == runID {
                    record.lastFiles = Array(Set(record.lastFiles + files)).sorted()
                } else {
                    record.previousSeenRun = record.lastSeenRun
                    record.previousSeenAt = record.lastSeenAt
                    record.lastSeenRun = runID
                    record.lastSeenAt = seenAt
                    record.lastFiles = files
                    record.seenRuns += 1
                }
                try record.update(db)
            }
        }
    }

    /// The signatures the run's test attempts carry (as stored by ``setSignatures(_:)``): for the
    /// "previous run's clusters", whose absence now means FIXED.
    public func signatures(runID: String) throws(HistoryStoreError) -> Set<String> {
        try reading { db in
            try String.fetchSet(
                db,
                sql: "SELECT DISTINCT signature FROM test_attempt WHERE run_id = ? AND signature IS NOT NULL",
                arguments: [runID]
            )
        }
    }

    /// What the history knows of these signatures (all of them when `nil`): signature → record.
    /// Unknown signatures are absent.
    public func clusterSignatures(
        _ signatures: [String]? = nil
    ) throws(HistoryStoreError)
        -> [String: StoredSignature]
    {
        let list = try signatures.map { ids throws(HistoryStoreError) in try jsonArray(ids) }
        return try reading { db in
            let records =
                if let list {
                    try StoredSignature.fetchAll(
                        db,
                        sql: "SELECT * FROM cluster_signature WHERE signature IN (SELECT value FROM json_each(?))",
                        arguments: [list]
                    )
                } else {
                    try StoredSignature.fetchAll(db)
                }
            return Dictionary(records.map { ($0.signature, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Attaches a gardener's note to a signature (or clears it with `nil`); the note is carried to
    /// every later run that sees the signature. Throws `invalidValue` for a signature never seen.
    public func setClusterNote(signature: String, note: String?) throws(HistoryStoreError) {
        try writing { db in
            let changed = try StoredSignature.filter(key: signature)
                .updateAll(db, StoredSignature.Columns.note.set(to: note))
            if changed == 0 {
                throw invalid(
                    "signature \(signature.debugDescription) has not been seen in any run, so it cannot carry a note"
                )
            }
        }
    }

    // MARK: - Reports

    /// Stores the run's `report.json` bytes (replacing an earlier one), so `report RUN_ID` renders
    /// it again byte for byte.
    public func saveReport(runID: String, json: Data) throws(HistoryStoreError) {
        try writing { db in
            _ = try requireRun(db, runID)
            try StoredReport(runID: runID, json: json).upsert(db)
        }
    }

    /// The run's stored `report.json` bytes, or `nil` when none was saved.
    public func report(runID: String) throws(HistoryStoreError) -> Data? {
        try reading { db in try StoredReport.fetchOne(db, key: runID)?.json }
    }
}
