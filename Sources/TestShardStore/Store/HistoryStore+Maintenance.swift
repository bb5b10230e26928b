import GRDB
import TestShardModel

extension HistoryStore {
    /// Deletes every run but the newest `keepRuns` (by start time), with its items, workers, shard
    /// and test attempts, samples and report. Runs still marked running are never deleted.
    ///
    /// The duration windows and failure signatures are left as they are: a window holds the newest
    /// passing durations of its item whatever happens to the raw samples behind it, so pruning
    /// never makes a plan worse, and first-seen dates stay right.
    ///
    /// - Returns: the ids of the deleted runs, newest first.
    @discardableResult
    public func prune(keepRuns: Int) throws(HistoryStoreError) -> [String] {
        guard keepRuns >= 0 else { throw invalid("prune was asked to keep \(keepRuns) runs; give a number ≥ 0") }
        return try writing { db in
            let old = try Row.fetchAll(
                db,
                sql: "SELECT id, status FROM run ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?",
                arguments: [keepRuns]
            )
            .filter { ($0["status"] as String) != StoredRun.Status.running.rawValue }
            .map { $0["id"] as String }
            let delete = try db.cachedStatement(sql: "DELETE FROM run WHERE id = ?")
            for id in old { try delete.execute(arguments: [id]) }
            return old
        }
    }

    /// Recomputes the window of every item that has passing samples from those samples (newest K
    /// by time). Items whose samples were all pruned keep the window they have. For a raised
    /// window size, or a window row damaged by hand.
    public func rebuildDurationWindows() throws(HistoryStoreError) {
        try writing { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT item, duration, recorded_at FROM duration_sample WHERE outcome = 'passed'
                    ORDER BY item, recorded_at DESC, id DESC
                    """
            )
            let windows = try WindowStatements(db)
            var current: (item: String, durations: [Double], updatedAt: Double, count: Int)?
            func flush() throws {
                guard let window = current else { return }
                try windows.store(
                    WorkItem(window.item),
                    durations: window.durations,
                    updatedAt: window.updatedAt,
                    count: window.count
                )
            }
            while let row = try rows.next() {
                let item: String = row[0]
                if current?.item != item {
                    try flush()
                    current = (item, [], row[2], 0)
                }
                current!.count += 1
                if current!.durations.count < windowSize { current!.durations.append(row[1]) }
            }
            try flush()
        }
    }

    /// SQLite's `quick_check` and a foreign-key check: the problems found, or `[]` when the
    /// database is consistent. Reads every page, so it takes a while on a big history.
    public func checkIntegrity() throws(HistoryStoreError) -> [String] {
        try reading { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" }
            let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            for row in orphans {
                problems.append(
                    "row \(row[1] as Int64? ?? -1) of \(row[0] as String? ?? "?") refers to a missing row of \(row[2] as String? ?? "?")"
                )
            }
            return problems
        }
    }
}
