import GRDB

extension HistoryStore {
    // MARK: - Preflight

    /// Of `stamps` (file → its size and modification time now), the files that passed the preflight
    /// with exactly that stamp: unchanged since, so compiling them again would find nothing new.
    ///
    /// Only a clean result is remembered. What it can miss is a file whose import stopped resolving
    /// because the environment changed, not the file: a worker then reports its collection error,
    /// as it would with no preflight at all.
    public func preflightClean(_ stamps: [String: FileStamp]) throws(HistoryStoreError) -> Set<String> {
        guard !stamps.isEmpty else { return [] }
        return try reading { db in
            var clean = Set<String>()
            // The whole table in one pass: it holds one row per file of the suite.
            let rows = try Row.fetchCursor(db, sql: "SELECT file, size, modified_ns FROM preflight_clean")
            while let row = try rows.next() {
                let file: String = row[0]
                guard let stamp = stamps[file] else { continue }
                if stamp.size == row[1] && stamp.modifiedNanoseconds == row[2] { clean.insert(file) }
            }
            return clean
        }
    }

    /// Remembers `clean` files with their stamps (replacing older ones) and forgets `failed` ones.
    public func recordPreflight(
        clean: [String: FileStamp],
        failed: [String],
        at time: Double
    ) throws(HistoryStoreError) {
        guard !clean.isEmpty || !failed.isEmpty else { return }
        try writing { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO preflight_clean (file, size, modified_ns, checked_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (file) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
                        checked_at = excluded.checked_at
                    """
            )
            for (file, stamp) in clean.sorted(by: { $0.key < $1.key }) {
                try upsert.execute(arguments: [file, stamp.size, stamp.modifiedNanoseconds, time])
            }
            let delete = try db.cachedStatement(sql: "DELETE FROM preflight_clean WHERE file = ?")
            for file in failed.sorted() {
                try delete.execute(arguments: [file])
            }
        }
    }
}
