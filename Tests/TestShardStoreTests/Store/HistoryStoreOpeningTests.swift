import Foundation
import GRDB
import Testing

@testable import TestShardStore

/// Opening files: migrations, pragmas, and every file the store must refuse without touching it.
@Suite("HistoryStore opening")
struct HistoryStoreOpeningTests {
    @Test func aNewFileGetsItsFoldersTheSchemaAndTheWALPragmas() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("deep/er/history.sqlite")
        let store = try HistoryStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        let pragmas = try store.writer.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try Int.fetchOne(db, sql: "PRAGMA application_id")
            )
        }
        #expect(pragmas.0 == "wal")
        #expect(pragmas.1 == 1)  // NORMAL
        #expect(pragmas.2 == 1)
        #expect(pragmas.3 == Int(HistoryStore.applicationID))
    }

    @Test func reopeningAppliesNoMigrationTwiceAndKeepsTheData() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("history.sqlite")
        do {
            let store = try HistoryStore(path: path)
            try store.beginRun(Make.run("r1"))
            try store.importSamples(
                [Make.sample("a.py", 2)],
                source: .importKnapsack,
                run: Make.run("imp", kind: .import)
            )
        }
        let reopened = try HistoryStore(path: path)
        let migrations = try reopened.writer.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(migrations == HistoryStore.migrator.migrations)
        #expect(try reopened.runs().map(\.id).sorted() == ["imp", "r1"])
        #expect(try reopened.durationWindows(items: ["a.py"]) == ["a.py": [2]])
        #expect(try reopened.checkIntegrity().isEmpty)
    }

    /// A history written before the preflight table existed gets it on opening, and keeps its runs.
    @Test func aFirstSchemaHistoryIsMigratedAndKeepsItsData() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("history.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try HistoryStore.migrator.migrate(queue, upTo: "v1-history")
            try queue.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO run (id, kind, started_at, suite, root, status) VALUES ('old', 'run', 1, 's', '/r', 'completed')"
                )
            }
        }
        let store = try HistoryStore(path: path)
        let migrations = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(migrations == ["v1-history", "v2-preflight-clean"])
        #expect(try store.runs().map(\.id) == ["old"])
        let stamp = FileStamp(size: 10, modifiedNanoseconds: 5)
        try store.recordPreflight(clean: ["t/a.py": stamp], failed: [], at: 2)
        #expect(try store.preflightClean(["t/a.py": stamp]) == ["t/a.py"])
    }

    @Test func aFileThatIsNotSQLiteIsRefusedAndLeftAlone() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("history.sqlite")
        let content = Data("tests/a.py: 12.5\nthis is a text file, not a database\n".utf8)
        try content.write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: HistoryStoreError.self) { try HistoryStore(path: path) }
        #expect(error?.code == .notADatabase)
        #expect(error?.path == path)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("--db") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aDamagedDatabaseIsReportedAsCorruptAndLeftAlone() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("history.sqlite")
        do {
            let store = try HistoryStore(path: path)
            try store.beginRun(Make.run("r1"))
        }
        // Keep the 100-byte header, scribble over the rest of page 1 (the schema's b-tree).
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 3_000))
        try handle.close()
        let damaged = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = #expect(throws: HistoryStoreError.self) { try HistoryStore(path: path) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains(path) == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == damaged)
    }

    @Test func aDatabaseFromANewerTestShardIsRefusedUnchanged() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("history.sqlite")
        do {
            let store = try HistoryStore(path: path)
            try store.beginRun(Make.run("r1"))
            try store.writer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
                try db.execute(sql: "CREATE TABLE future_table (x)")
            }
        }

        let error = #expect(throws: HistoryStoreError.self) { try HistoryStore(path: path) }
        #expect(error?.code == .newerSchema)
        #expect(error?.message.contains("v9-from-the-future") == true)
        // Nothing was migrated, erased or rolled back: the newer version's data is all there.
        let seen = try Self.inspect(path) { db in
            (
                try String.fetchAll(db, sql: "SELECT identifier FROM theirs.grdb_migrations ORDER BY identifier"),
                try String.fetchAll(db, sql: "SELECT id FROM theirs.run"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM theirs.future_table")
            )
        }
        #expect(seen.0 == HistoryStore.migrator.migrations + ["v9-from-the-future"])
        #expect(seen.1 == ["r1"])
        #expect(seen.2 == 0)
    }

    /// Reads a database file through a plain SQLite connection (an in-memory store's, with the file
    /// attached as `theirs`), without opening it as a history.
    private static func inspect<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        let scratch = try HistoryStore.inMemory()
        return try scratch.writer.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS theirs", arguments: [path])
            defer { try? db.execute(sql: "DETACH DATABASE theirs") }
            return try body(db)
        }
    }

    @Test func anotherProgramsSQLiteFileIsRefused() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("theirs.sqlite")
        // An in-memory store's writer is a plain SQLite connection: use it to write a foreign file.
        let scratch = try HistoryStore.inMemory()
        try scratch.writer.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS theirs", arguments: [path])
            try db.execute(sql: "CREATE TABLE theirs.contacts (name TEXT)")
            try db.execute(sql: "DETACH DATABASE theirs")
        }
        let error = #expect(throws: HistoryStoreError.self) { try HistoryStore(path: path) }
        #expect(error?.code == .notAHistoryDatabase)
        #expect(error?.message.contains("contacts") == true)
    }

    @Test func anEmptyFileBecomesANewHistory() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("history.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try HistoryStore(path: path)
        try store.beginRun(Make.run("r1"))
        #expect(try store.runs().count == 1)
    }

    @Test func aFolderInPlaceOfTheFileCannotBeOpened() throws {
        let folder = try TemporaryFolder()
        let error = #expect(throws: HistoryStoreError.self) { try HistoryStore(path: folder.url.path) }
        #expect(error?.code == .cannotOpen)
        #expect(error?.message.contains("history.sqlite") == true)
    }

    @Test func aWindowOfNoSamplesIsRefused() throws {
        let error = #expect(throws: HistoryStoreError.self) {
            try HistoryStore.inMemory(configuration: .init(windowSize: 0))
        }
        #expect(error?.code == .invalidValue)
    }
}
