import Foundation
import GRDB

/// The coordinator's SQLite history: runs, their expected items, shard and test attempts,
/// duration samples and the per-item duration windows the planner reads, reports, failure
/// signatures and workers. The only type that opens the database; it owns the migrator.
///
/// A file store is a GRDB `DatabasePool` in WAL mode (`synchronous=NORMAL`, foreign keys on, a busy
/// timeout): reads run while a write is in progress, and a process killed mid-write leaves the
/// last committed state. An in-memory store (tests) is a `DatabaseQueue`.
///
/// Every method is synchronous and throws only ``HistoryStoreError``. Every write is one
/// transaction: it happens whole or not at all. The store is `Sendable`; calls from many threads
/// are serialized for writing by GRDB.
///
/// Tables (see ``migrator`` for the exact schema): `run`, `run_item`, `run_worker`,
/// `shard_attempt`, `test_attempt`, `duration_sample`, `file_duration_window`,
/// `test_duration_window`, `report`, `cluster_signature`, and `preflight_clean` (files that
/// passed the coordinator's preflight, by size and modification time).
public final class HistoryStore: Sendable {
    /// The database file, or `nil` for an in-memory store.
    public let path: String?
    /// K: the number of newest passing durations kept per item.
    public let windowSize: Int

    let writer: any DatabaseWriter

    /// Opens (creating it and its folders if needed) the history database at `path` and brings
    /// its schema up to date.
    ///
    /// Throws ``HistoryStoreError`` with code `notADatabase`, `corrupt`, `notAHistoryDatabase` or
    /// `newerSchema` for a file it must not touch — the file is left exactly as it was — and
    /// `cannotOpen` when the file or folder cannot be created or opened.
    public init(path: String, configuration: HistoryStoreConfiguration = .init()) throws(HistoryStoreError) {
        try Self.validate(configuration, path: path)
        self.path = path
        self.windowSize = configuration.windowSize
        try Self.prepareFile(at: path)
        var config = Self.grdbConfiguration(configuration)
        // WAL is set by DatabasePool itself; NORMAL is durable against a killed process in WAL mode
        // (only an OS crash can lose the last transactions) and much cheaper than FULL.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            self.writer = try DatabasePool(path: path, configuration: config)
        } catch {
            throw Self.translate(error, path: path)
        }
        try Self.prepareSchema(writer, path: path)
    }

    private init(inMemory configuration: HistoryStoreConfiguration) throws(HistoryStoreError) {
        try Self.validate(configuration, path: nil)
        self.path = nil
        self.windowSize = configuration.windowSize
        do {
            self.writer = try DatabaseQueue(configuration: Self.grdbConfiguration(configuration))
        } catch {
            throw Self.translate(error, path: nil)
        }
        try Self.prepareSchema(writer, path: nil)
    }

    /// A fresh, empty store that lives in memory only (tests, dry runs).
    public static func inMemory(
        configuration: HistoryStoreConfiguration = .init()
    ) throws(HistoryStoreError)
        -> HistoryStore
    {
        try HistoryStore(inMemory: configuration)
    }

    /// A human name for the database in messages.
    var displayName: String { path ?? "the in-memory history" }

    // MARK: - Opening

    private static func validate(_ configuration: HistoryStoreConfiguration, path: String?) throws(HistoryStoreError) {
        guard configuration.windowSize >= 1 else {
            throw HistoryStoreError(
                code: .invalidValue,
                message:
                    "duration window size \(configuration.windowSize) is too small: keep at least 1 sample per item",
                path: path
            )
        }
        guard configuration.busyTimeout >= 0, configuration.busyTimeout.isFinite else {
            throw HistoryStoreError(
                code: .invalidValue,
                message: "busy timeout \(configuration.busyTimeout) s is not a finite number of seconds ≥ 0",
                path: path
            )
        }
    }

    private static func grdbConfiguration(_ configuration: HistoryStoreConfiguration) -> GRDB.Configuration {
        var config = GRDB.Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(configuration.busyTimeout)
        config.label = "TestShardStore"
        return config
    }

    /// Creates the parent folder, and refuses a file that is plainly not SQLite before SQLite
    /// (or WAL set-up) touches it.
    private static func prepareFile(at path: String) throws(HistoryStoreError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HistoryStoreError(
                code: .cannotOpen,
                message: "cannot create the folder \(folder.path) for the history database \(path): "
                    + "\(error.localizedDescription); choose another --db path or fix the folder's permissions",
                path: path
            )
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return }
        if isFolder.boolValue {
            throw HistoryStoreError(
                code: .cannotOpen,
                message: "the history database path \(path) is a folder; give --db a file path such as "
                    + "\(url.appendingPathComponent("history.sqlite").path)",
                path: path
            )
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HistoryStoreError(
                code: .cannotOpen,
                message: "cannot read the history database \(path); check its permissions or choose another --db path",
                path: path
            )
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        // An empty file is a valid empty database to SQLite; anything else must carry the header.
        if !header.isEmpty && header != Data("SQLite format 3\0".utf8) {
            throw notADatabase(path: path, detail: "it does not start with the SQLite header")
        }
    }

    static func notADatabase(path: String?, detail: String) -> HistoryStoreError {
        let name = path ?? "the in-memory history"
        return HistoryStoreError(
            code: .notADatabase,
            message: "\(name) is not an SQLite database (\(detail)); nothing was changed. "
                + "Point --db at a TestShard history file, or move this file away to start a new history there",
            path: path
        )
    }
}
