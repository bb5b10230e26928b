import GRDB

extension HistoryStore {
    /// Runs `body` in one write transaction, committed when it returns and rolled back when it
    /// throws, and turns any failure into a ``HistoryStoreError``.
    func writing<T>(_ body: (Database) throws -> T) throws(HistoryStoreError) -> T {
        do {
            return try writer.write(body)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Runs `body` on a consistent snapshot (concurrently with a write on a file store) and turns
    /// any failure into a ``HistoryStoreError``.
    func reading<T>(_ body: (Database) throws -> T) throws(HistoryStoreError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Throws `unknownRun` unless the run is in the history.
    func requireRun(_ db: Database, _ runID: String) throws -> StoredRun {
        guard let run = try StoredRun.fetchOne(db, key: runID) else {
            throw HistoryStoreError(
                code: .unknownRun,
                message: "run \(runID.debugDescription) is not in \(displayName); "
                    + "list the runs it holds with `testshard-coordinator history`",
                path: path
            )
        }
        return run
    }

    func invalid(_ message: String) -> HistoryStoreError {
        HistoryStoreError(code: .invalidValue, message: message, path: path)
    }

    /// Throws `invalidValue` unless `seconds` is a finite duration ≥ 0.
    func requireDuration(_ seconds: Double, of what: @autoclosure () -> String) throws(HistoryStoreError) {
        guard seconds.isFinite, seconds >= 0 else {
            throw invalid(
                "the duration of \(what()) is \(seconds), not a finite number of seconds ≥ 0; nothing was recorded"
            )
        }
    }

    /// Maps SQLite and other failures to a ``HistoryStoreError`` that names the file and says what
    /// to do; a ``HistoryStoreError`` passes through (with the path filled in).
    static func translate(_ error: any Error, path: String?) -> HistoryStoreError {
        if let error = error as? HistoryStoreError {
            return error.path == nil && path != nil
                ? HistoryStoreError(code: error.code, message: error.message, path: path) : error
        }
        let name = path ?? "the in-memory history"
        guard let error = error as? DatabaseError else {
            return HistoryStoreError(code: .database, message: "\(name): \(error)", path: path)
        }
        let sqlite = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return notADatabase(path: path, detail: "SQLite: \(sqlite)")
        case .SQLITE_CORRUPT:
            return HistoryStoreError(
                code: .corrupt,
                message: "\(name) is damaged (SQLite: \(sqlite)); nothing was changed. Keep a copy for inspection, "
                    + "then try `sqlite3 \(path ?? "FILE") .recover` into a new file, or move it away to start a new history",
                path: path
            )
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return HistoryStoreError(
                code: .cannotOpen,
                message: "\(name) is locked by another process (SQLite: \(sqlite)); wait for the other coordinator "
                    + "to finish, or give this one its own --db",
                path: path
            )
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return HistoryStoreError(
                code: .cannotOpen,
                message: "cannot open or write \(name) (SQLite: \(sqlite)); check the file's and folder's permissions "
                    + "or choose another --db path",
                path: path
            )
        case .SQLITE_FULL:
            return HistoryStoreError(
                code: .cannotOpen,
                message: "the disk holding \(name) is full (SQLite: \(sqlite)); free space, or prune old runs",
                path: path
            )
        default:
            return HistoryStoreError(
                code: .database,
                message: "\(name): SQLite error \(error.extendedResultCode.rawValue): \(sqlite)",
                path: path
            )
        }
    }
}
