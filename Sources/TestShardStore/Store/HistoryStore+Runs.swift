import GRDB
import TestShardModel

extension HistoryStore {
    // MARK: - Writing runs

    /// Records the start of a run. Its categories are stored sorted and without duplicates.
    ///
    /// Throws `duplicateRun` when the id is taken, `unknownRun` when `parentRunID` names a run the
    /// history does not hold, `invalidValue` for an empty id or a non-finite start time.
    public func beginRun(_ run: StoredRun) throws(HistoryStoreError) {
        guard !run.id.isEmpty else { throw invalid("a run needs a non-empty id; nothing was recorded") }
        guard run.startedAt.isFinite else {
            throw invalid("run \(run.id) starts at \(run.startedAt), not a time in Unix seconds; nothing was recorded")
        }
        var run = run
        run.categories = Array(Set(run.categories)).sorted()
        try writing { db in
            if try StoredRun.exists(db, key: run.id) {
                throw HistoryStoreError(
                    code: .duplicateRun,
                    message: "run id \(run.id) is already in \(displayName); start the run under a new id",
                    path: path
                )
            }
            if let parent = run.parentRunID { _ = try requireRun(db, parent) }
            try run.insert(db)
        }
    }

    /// Records the run's expected inventory, in order, with the estimate each item was planned with.
    /// Items already recorded keep their final state (a resumed run may record its inventory again);
    /// their position and estimate are updated. Sets `run.expected_items` to the inventory's size.
    public func recordExpectedItems(runID: String, items: [ExpectedItem]) throws(HistoryStoreError) {
        for entry in items {
            guard !entry.item.isEmpty else { throw invalid("run \(runID): an expected item has an empty id") }
            if let estimate = entry.estimate { try requireDuration(estimate, of: "the estimate of \(entry.item)") }
        }
        try writing { db in
            _ = try requireRun(db, runID)
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO run_item (run_id, item, file, position, estimate) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, item) DO UPDATE SET position = excluded.position, estimate = excluded.estimate
                    """
            )
            for (position, entry) in items.enumerated() {
                try upsert.execute(arguments: [runID, entry.item, WorkItem(entry.item).file, position, entry.estimate])
            }
            let count = try StoredRunItem.filter(StoredRunItem.Columns.runID == runID).fetchCount(db)
            try StoredRun.filter(key: runID).updateAll(db, StoredRun.Columns.expectedItems.set(to: count))
        }
    }

    /// Records how the run ended.
    public func finishRun(
        id: String,
        endedAt: Double,
        status: StoredRun.Status,
        exitStatus: Int?
    ) throws(HistoryStoreError) {
        guard endedAt.isFinite else { throw invalid("run \(id) ends at \(endedAt), not a time in Unix seconds") }
        try writing { db in
            _ = try requireRun(db, id)
            try StoredRun.filter(key: id).updateAll(
                db,
                StoredRun.Columns.endedAt.set(to: endedAt),
                StoredRun.Columns.status.set(to: status.rawValue),
                StoredRun.Columns.exitStatus.set(to: exitStatus)
            )
        }
    }

    /// Takes an interrupted run up again (`run --resume RUN_ID`): marks it running, counts the
    /// resume, and returns everything recorded so far, read in the same transaction.
    ///
    /// Throws `unknownRun`, or `invalidValue` for a completed run or an import (nothing to resume:
    /// use `rerun --from`).
    public func resumeRun(id: String) throws(HistoryStoreError) -> StoredRunSnapshot {
        try writing { db in
            let run = try requireRun(db, id)
            if run.status == .completed || run.kind == .import {
                throw invalid(
                    "run \(id) is \(run.kind == .import ? "an import" : "completed"): there is nothing to resume; "
                        + "use `rerun --from \(id)` to run part of it again"
                )
            }
            try StoredRun.filter(key: id).updateAll(
                db,
                StoredRun.Columns.status.set(to: StoredRun.Status.running.rawValue),
                StoredRun.Columns.endedAt.set(to: nil),
                StoredRun.Columns.exitStatus.set(to: nil),
                StoredRun.Columns.resumeCount += 1
            )
            return try snapshot(db, runID: id)
        }
    }

    /// Records a worker joining the run, or updates it (state, leaving time, a reconnect).
    public func recordWorker(_ worker: StoredWorker) throws(HistoryStoreError) {
        guard !worker.workerID.isEmpty else { throw invalid("run \(worker.runID): a worker needs a non-empty id") }
        try writing { db in
            _ = try requireRun(db, worker.runID)
            try worker.upsert(db)
        }
    }

    // MARK: - Reading runs

    /// Runs, newest first (by start time, then id), optionally of one suite, at most `limit`.
    public func runs(limit: Int? = nil, suite: String? = nil) throws(HistoryStoreError) -> [StoredRun] {
        try reading { db in
            var request = StoredRun.order(StoredRun.Columns.startedAt.desc, StoredRun.Columns.id.desc)
            if let suite { request = request.filter(StoredRun.Columns.suite == suite) }
            if let limit { request = request.limit(max(0, limit)) }
            return try request.fetchAll(db)
        }
    }

    /// The run with this id, or `nil`.
    public func run(id: String) throws(HistoryStoreError) -> StoredRun? {
        try reading { db in try StoredRun.fetchOne(db, key: id) }
    }

    /// The newest run before `runID` that it can be compared with: same suite, profile and
    /// categories, a comparable kind (``StoredRun/Kind/comparableKinds``), completed or cut short, and —
    /// when `matchingBranch` — the same branch. `nil` when there is none.
    public func previousComparableRun(
        before runID: String,
        matchingBranch: Bool = false
    ) throws(HistoryStoreError)
        -> StoredRun?
    {
        try comparableRuns(endingAt: runID, limit: 2, matchingBranch: matchingBranch).dropFirst().first
    }

    /// `runID`'s run first, then up to `limit - 1` runs comparable with it (see
    /// ``previousComparableRun(before:matchingBranch:)``), newest first: the window the verdict
    /// history and flakiness score look at.
    public func comparableRuns(
        endingAt runID: String,
        limit: Int,
        matchingBranch: Bool = false
    )
        throws(HistoryStoreError) -> [StoredRun]
    {
        try reading { db in try comparableRuns(db, endingAt: runID, limit: limit, matchingBranch: matchingBranch) }
    }

    func comparableRuns(_ db: Database, endingAt runID: String, limit: Int, matchingBranch: Bool) throws -> [StoredRun]
    {
        let anchor = try requireRun(db, runID)
        guard limit > 0 else { return [] }
        // The runs of one suite are few (one a night for years is thousands), so the finer match
        // is done here rather than by comparing JSON text in SQL.
        let candidates =
            try StoredRun
            .filter(StoredRun.Columns.suite == anchor.suite && StoredRun.Columns.startedAt <= anchor.startedAt)
            .filter(StoredRun.Columns.id != anchor.id)
            .order(StoredRun.Columns.startedAt.desc, StoredRun.Columns.id.desc)
            .fetchAll(db)
        var window = [anchor]
        for run in candidates where window.count < limit {
            guard run.startedAt < anchor.startedAt || run.id < anchor.id else { continue }
            guard run.status.isComparable, anchor.kind.comparableKinds.contains(run.kind) else { continue }
            guard run.profile == anchor.profile, Set(run.categories) == Set(anchor.categories) else { continue }
            if matchingBranch && run.branch != anchor.branch { continue }
            window.append(run)
        }
        return window
    }

    /// The workers that joined the run, in joining order.
    public func workers(runID: String) throws(HistoryStoreError) -> [StoredWorker] {
        try reading { db in
            try StoredWorker.filter(StoredWorker.Columns.runID == runID)
                .order(StoredWorker.Columns.joinedAt, Column("worker_id"))
                .fetchAll(db)
        }
    }
}
