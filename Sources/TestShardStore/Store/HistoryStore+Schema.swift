import GRDB

extension HistoryStore {
    /// `PRAGMA application_id` of a TestShard history ("TSHD"), so another program's SQLite file
    /// is recognised and left alone.
    static let applicationID: Int32 = 0x5453_4844

    /// The schema, as named migrations applied in order. A shipped migration is never edited: a
    /// change is a new migration appended here (`v2-…`), and a database that lists a migration this
    /// build does not know was written by a newer TestShard and is refused, not rewritten.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-history") { db in
            try db.execute(sql: schemaV1)
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        }
        migrator.registerMigration("v2-preflight-clean") { db in
            try db.execute(sql: schemaV2)
        }
        return migrator
    }()

    /// The first schema. Enumerated columns hold the raw values of the Swift enums and have no
    /// CHECK constraint, so a later version can add a value without rebuilding a table. Times are
    /// Unix seconds (REAL); JSON columns hold arrays.
    static let schemaV1 = """
        CREATE TABLE run (
            id               TEXT PRIMARY KEY NOT NULL,
            kind             TEXT NOT NULL,              -- run | rerun | resume | import
            parent_run_id    TEXT REFERENCES run(id) ON DELETE SET NULL,
            status           TEXT NOT NULL,              -- running | completed | interrupted | cut_short
            started_at       REAL NOT NULL,
            ended_at         REAL,
            suite            TEXT NOT NULL,
            root             TEXT NOT NULL,
            git_revision     TEXT,
            branch           TEXT,
            profile          TEXT,
            categories       TEXT NOT NULL DEFAULT '[]', -- JSON array, sorted
            expected_items   INTEGER,
            exit_status      INTEGER,
            config_hash      TEXT,
            coordinator_host TEXT,
            resume_count     INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX run_by_suite ON run(suite, started_at);
        CREATE INDEX run_by_parent ON run(parent_run_id);

        CREATE TABLE run_item (
            run_id         TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            item           TEXT NOT NULL,
            file           TEXT NOT NULL,
            position       INTEGER NOT NULL,
            estimate       REAL,
            final_state    TEXT,                         -- StoredRunItem.State raw value
            reason         TEXT,                         -- why an item without results has none
            detail         TEXT,                         -- one more line for the report (last output line, ...)
            shard_id       INTEGER,                      -- the shard attempt that decided it, when one did
            shard_attempt  INTEGER,
            PRIMARY KEY (run_id, item)
        );

        CREATE TABLE run_worker (
            run_id    TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            worker_id TEXT NOT NULL,
            name      TEXT NOT NULL,
            host      TEXT NOT NULL,
            slots     INTEGER NOT NULL,
            revision  TEXT,
            joined_at REAL NOT NULL,
            left_at   REAL,
            state     TEXT NOT NULL,                     -- connected | draining | left | lost | refused
            reason    TEXT,                              -- why it was lost or refused
            PRIMARY KEY (run_id, worker_id)
        );

        CREATE TABLE shard_attempt (
            id          INTEGER PRIMARY KEY,
            run_id      TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            shard_id    INTEGER NOT NULL,
            attempt     INTEGER NOT NULL,
            worker_id   TEXT NOT NULL,
            worker_name TEXT,
            worker_host TEXT,
            slot        INTEGER,
            items       TEXT NOT NULL,                   -- JSON array of item ids
            command     TEXT NOT NULL,                   -- JSON array of arguments
            started_at  REAL NOT NULL,
            ended_at    REAL,
            timeout_seconds REAL,
            exit_kind   TEXT NOT NULL,                   -- ShardExitKind raw value
            exit_code   INTEGER,
            exit_signal INTEGER,
            exit_reason TEXT,
            log_tail    TEXT NOT NULL,                   -- JSON array of lines
            junit_state TEXT,
            accepted    INTEGER NOT NULL,                -- 0: late result, shown but never counted
            UNIQUE (run_id, shard_id, attempt, accepted)
        );

        CREATE TABLE test_attempt (
            id               INTEGER PRIMARY KEY,
            run_id           TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            shard_attempt_id INTEGER REFERENCES shard_attempt(id) ON DELETE CASCADE,
            shard_id         INTEGER,
            shard_attempt    INTEGER,
            test_id          TEXT NOT NULL,
            file             TEXT NOT NULL,
            classname        TEXT NOT NULL,
            name             TEXT NOT NULL,
            retry_index      INTEGER NOT NULL,
            worker_id        TEXT,
            status           TEXT NOT NULL,              -- passed | failed | error | skipped
            duration         REAL NOT NULL,
            failure_type     TEXT,
            failure_message  TEXT,
            failure_details  TEXT,
            failure_phase    TEXT,
            skip_reason      TEXT,
            signature        TEXT,
            quarantined      INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX test_attempt_by_run ON test_attempt(run_id, test_id);
        CREATE INDEX test_attempt_failures ON test_attempt(run_id, test_id) WHERE status IN ('failed', 'error');
        CREATE INDEX test_attempt_by_shard_attempt ON test_attempt(shard_attempt_id);
        CREATE INDEX test_attempt_by_signature ON test_attempt(signature) WHERE signature IS NOT NULL;

        CREATE TABLE duration_sample (
            id          INTEGER PRIMARY KEY,
            item        TEXT NOT NULL,
            file        TEXT NOT NULL,
            run_id      TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            duration    REAL NOT NULL,
            outcome     TEXT NOT NULL,                   -- passed | failed | error | skipped | timeout
            recorded_at REAL NOT NULL,
            worker      TEXT,
            source      TEXT NOT NULL                    -- run | import:pytest-split | import:knapsack | import:junit
        );
        CREATE INDEX duration_sample_by_run ON duration_sample(run_id);

        CREATE TABLE file_duration_window (
            file            TEXT PRIMARY KEY NOT NULL,
            durations       BLOB NOT NULL,               -- passing seconds, newest first: little-endian float64s
            updated_at      REAL NOT NULL,
            passing_samples INTEGER NOT NULL
        );

        CREATE TABLE test_duration_window (
            test_id         TEXT PRIMARY KEY NOT NULL,
            file            TEXT NOT NULL,
            durations       BLOB NOT NULL,               -- passing seconds, newest first: little-endian float64s
            updated_at      REAL NOT NULL,
            passing_samples INTEGER NOT NULL
        );
        CREATE INDEX test_duration_window_by_file ON test_duration_window(file);

        CREATE TABLE report (
            run_id TEXT PRIMARY KEY NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            json   BLOB NOT NULL
        );

        CREATE TABLE cluster_signature (
            signature         TEXT PRIMARY KEY NOT NULL,
            title             TEXT NOT NULL,             -- the normalized error text, as last seen
            last_files        TEXT NOT NULL,             -- JSON array: files it hit in last_seen_run
            first_seen_run    TEXT NOT NULL,             -- no foreign key: survives pruning
            first_seen_at     REAL NOT NULL,
            last_seen_run     TEXT NOT NULL,
            last_seen_at      REAL NOT NULL,
            previous_seen_run TEXT,
            previous_seen_at  REAL,
            seen_runs         INTEGER NOT NULL,
            note              TEXT
        );
        """

    /// Files that passed the coordinator's preflight, with the size and modification time they had
    /// then: an unchanged file is not compiled again (`HistoryStore+Preflight.swift`).
    static let schemaV2 = """
        CREATE TABLE preflight_clean (
            file        TEXT PRIMARY KEY NOT NULL,
            size        INTEGER NOT NULL,
            modified_ns INTEGER NOT NULL,             -- nanoseconds since the Unix epoch
            checked_at  REAL NOT NULL
        );
        """

    /// Checks that the database is ours and not from a newer TestShard, then applies the
    /// migrations it lacks. Refuses — changing nothing — anything it should not touch.
    static func prepareSchema(_ writer: any DatabaseWriter, path: String?) throws(HistoryStoreError) {
        struct Found {
            var applicationID: Int32
            var applied: Set<String>
            var tables: [String]
        }
        let found: Found
        do {
            found = try writer.read { db in
                Found(
                    applicationID: try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    applied: try migrator.appliedIdentifiers(db),
                    tables: try String.fetchAll(
                        db,
                        sql:
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                    )
                )
            }
        } catch {
            throw translate(error, path: path)
        }
        let name = path ?? "the in-memory history"
        let known = Set(migrator.migrations)
        let unknown = found.applied.subtracting(known).sorted()
        let ours = found.applicationID == applicationID || !found.applied.isDisjoint(with: known)
        if found.applicationID != 0 && found.applicationID != applicationID {
            throw foreign(name, path: path, detail: "its application id is \(found.applicationID)")
        }
        if !ours && (!unknown.isEmpty || !found.tables.isEmpty) {
            let tables = found.tables.prefix(5).joined(separator: ", ")
            throw foreign(name, path: path, detail: "it already holds other tables (\(tables))")
        }
        if !unknown.isEmpty {
            throw HistoryStoreError(
                code: .newerSchema,
                message:
                    "\(name) was written by a newer TestShard: it lists schema migrations this build does not know "
                    + "(\(unknown.joined(separator: ", "))); nothing was changed. Use that newer TestShard, "
                    + "or point --db at another file",
                path: path
            )
        }
        do {
            try migrator.migrate(writer)
        } catch {
            throw translate(error, path: path)
        }
    }

    private static func foreign(_ name: String, path: String?, detail: String) -> HistoryStoreError {
        HistoryStoreError(
            code: .notAHistoryDatabase,
            message: "\(name) is an SQLite database of some other program (\(detail)); nothing was changed. "
                + "Point --db at a TestShard history file, or at a new path to start one",
            path: path
        )
    }
}
