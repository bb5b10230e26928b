import Foundation
import GRDB
import TestShardModel

extension HistoryStore {
    // MARK: - Writing samples

    /// Imports timing data from another tool (`import --format …`) as a run of its own, in one
    /// transaction: the run row and every sample are stored, and the windows updated, or nothing is.
    ///
    /// `run` is the import's run record (usually kind ``StoredRun/Kind/import``, status completed); it must
    /// not exist yet. The caller validates the source file first; a value the store refuses (an
    /// empty item, a negative duration) throws `invalidValue` naming the sample, and nothing is
    /// stored.
    public func importSamples(
        _ samples: [MeasuredDuration],
        source: StoredSample.Source,
        run: StoredRun
    ) throws(HistoryStoreError) {
        guard !run.id.isEmpty else { throw invalid("an import needs a run with a non-empty id; nothing was imported") }
        try validate(samples, in: "the import \(run.id)")
        var run = run
        run.categories = Array(Set(run.categories)).sorted()
        try writing { db in
            if try StoredRun.exists(db, key: run.id) {
                throw HistoryStoreError(
                    code: .duplicateRun,
                    message: "run id \(run.id) is already in \(displayName); import under a new id",
                    path: path
                )
            }
            try run.insert(db)
            try insertSamples(db, samples, runID: run.id, source: source)
        }
    }

    func validate(_ samples: [MeasuredDuration], in context: @autoclosure () -> String) throws(HistoryStoreError) {
        for (index, sample) in samples.enumerated() {
            guard !sample.item.isEmpty else {
                throw invalid("sample #\(index + 1) of \(context()) has an empty item id; nothing was recorded")
            }
            guard sample.recordedAt.isFinite else {
                throw invalid("the sample of \(sample.item) in \(context()) has no valid time (\(sample.recordedAt))")
            }
            try requireDuration(sample.duration, of: "\(sample.item) in \(context())")
        }
    }

    /// Inserts samples and folds the passing ones into their items' windows (in the caller's
    /// transaction).
    func insertSamples(_ db: Database, _ samples: [MeasuredDuration], runID: String, source: StoredSample.Source) throws
    {
        guard !samples.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO duration_sample (item, file, run_id, duration, outcome, recorded_at, worker, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        // Passing samples per item, in arrival order; an item's window takes them newest first.
        var passing: [String: [(order: Int, sample: MeasuredDuration)]] = [:]
        for (order, sample) in samples.enumerated() {
            let file = WorkItem(sample.item).file
            try insert.execute(arguments: [
                sample.item, file, runID, sample.duration, sample.outcome.rawValue, sample.recordedAt, sample.worker,
                source.rawValue,
            ])
            if sample.outcome == .passed { passing[sample.item, default: []].append((order, sample)) }
        }
        let windows = try WindowStatements(db)
        for (item, entries) in passing {
            // Newest first: by time, and by arrival among samples of the same time.
            let newest = entries.sorted { ($0.sample.recordedAt, $0.order) > ($1.sample.recordedAt, $1.order) }
            var durations = newest.map(\.sample.duration)
            var updatedAt = newest[0].sample.recordedAt
            var count = entries.count
            let workItem = WorkItem(item)
            let select = workItem.isWholeFile ? windows.selectFile : windows.selectTest
            if let row = try Row.fetchOne(select, arguments: [item]) {
                durations += try row.withUnsafeData(atIndex: 0) { try DurationBlob.decode($0) }
                updatedAt = max(updatedAt, row[1])
                count += row[2] as Int
            }
            try windows.store(
                workItem,
                durations: Array(durations.prefix(windowSize)),
                updatedAt: updatedAt,
                count: count
            )
        }
    }

    /// The statements that read and write windows, prepared once per transaction.
    struct WindowStatements {
        let selectFile: Statement
        let selectTest: Statement
        let upsertFile: Statement
        let upsertTest: Statement

        init(_ db: Database) throws {
            selectFile = try db.cachedStatement(
                sql: "SELECT durations, updated_at, passing_samples FROM file_duration_window WHERE file = ?"
            )
            selectTest = try db.cachedStatement(
                sql: "SELECT durations, updated_at, passing_samples FROM test_duration_window WHERE test_id = ?"
            )
            upsertFile = try db.cachedStatement(
                sql: """
                    INSERT INTO file_duration_window (file, durations, updated_at, passing_samples) VALUES (?, ?, ?, ?)
                    ON CONFLICT (file) DO UPDATE SET durations = excluded.durations, updated_at = excluded.updated_at,
                        passing_samples = excluded.passing_samples
                    """
            )
            upsertTest = try db.cachedStatement(
                sql: """
                    INSERT INTO test_duration_window (test_id, file, durations, updated_at, passing_samples)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (test_id) DO UPDATE SET file = excluded.file, durations = excluded.durations,
                        updated_at = excluded.updated_at, passing_samples = excluded.passing_samples
                    """
            )
        }

        /// Replaces the window of `item` (a file's or a test's, by the form of its id).
        func store(_ item: WorkItem, durations: [Double], updatedAt: Double, count: Int) throws {
            let blob = DurationBlob.encode(durations)
            if item.isWholeFile {
                try upsertFile.execute(arguments: [item.id, blob, updatedAt, count])
            } else {
                try upsertTest.execute(arguments: [item.id, item.file, blob, updatedAt, count])
            }
        }
    }

    // MARK: - Reading windows

    /// Above this many files, reading every file window in one sequential scan and keeping the
    /// wanted ones beats looking each up by key (measured: 5000 lookups cost about as much as
    /// scanning 50,000 rows).
    static let fileScanThreshold = 256

    /// The duration windows of these items (files or tests): item → passing durations in seconds,
    /// newest first, at most K. Items without a passing sample are absent.
    public func durationWindows(items: [String]) throws(HistoryStoreError) -> [String: [Double]] {
        try windows(of: items) { $0.durations }
    }

    /// The windows of these items with how many passing samples ever fed them and when the newest
    /// was taken, for callers that weigh confidence.
    public func durationWindowDetails(items: [String]) throws(HistoryStoreError) -> [String: DurationWindow] {
        try windows(of: items) { $0 }
    }

    private func windows<T>(
        of items: [String],
        _ transform: (DurationWindow) -> T
    ) throws(HistoryStoreError)
        -> [String: T]
    {
        guard !items.isEmpty else { return [:] }
        var files: [String] = []
        var tests: [String] = []
        for item in items {
            if WorkItem(item).isWholeFile { files.append(item) } else { tests.append(item) }
        }
        let scanFiles = files.count > Self.fileScanThreshold
        let fileList = scanFiles || files.isEmpty ? nil : try jsonArray(files)
        let testList = tests.isEmpty ? nil : try jsonArray(tests)
        return try reading { db in
            var result: [String: T] = [:]
            result.reserveCapacity(items.count)
            if scanFiles {
                let wanted = Set(files)
                try collectWindows(
                    db,
                    sql: "SELECT file, durations, updated_at, passing_samples FROM file_duration_window"
                ) {
                    if wanted.contains($0.item) { result[$0.item] = transform($0) }
                }
            } else if let fileList {
                try collectWindows(
                    db,
                    sql: """
                        SELECT file, durations, updated_at, passing_samples FROM file_duration_window
                        WHERE file IN (SELECT value FROM json_each(?))
                        """,
                    arguments: [fileList]
                ) { result[$0.item] = transform($0) }
            }
            if let testList {
                try collectWindows(
                    db,
                    sql: """
                        SELECT test_id, durations, updated_at, passing_samples FROM test_duration_window
                        WHERE test_id IN (SELECT value FROM json_each(?))
                        """,
                    arguments: [testList]
                ) { result[$0.item] = transform($0) }
            }
            return result
        }
    }

    /// Every duration window of the given scope: item → passing durations, newest first, at most K
    /// (export, and planning when the whole history is wanted).
    public func allDurationWindows(
        _ scope: DurationWindowScope = .files
    ) throws(HistoryStoreError) -> [String: [Double]] {
        try reading { db in
            var result: [String: [Double]] = [:]
            if scope != .tests {
                try collectWindows(
                    db,
                    sql: "SELECT file, durations, updated_at, passing_samples FROM file_duration_window"
                ) {
                    result[$0.item] = $0.durations
                }
            }
            if scope != .files {
                try collectWindows(
                    db,
                    sql: "SELECT test_id, durations, updated_at, passing_samples FROM test_duration_window"
                ) { result[$0.item] = $0.durations }
            }
            return result
        }
    }

    /// The windows of the single tests of these files: file → test item (`path::test`) → passing
    /// durations, newest first. Only the files the planner wants to split are read, not every test.
    public func testDurationWindows(files: [String]) throws(HistoryStoreError) -> [String: [String: [Double]]] {
        guard !files.isEmpty else { return [:] }
        let list = try jsonArray(files)
        return try reading { db in
            var byFile: [String: [String: [Double]]] = [:]
            try collectWindows(
                db,
                sql: """
                    SELECT test_id, durations, updated_at, passing_samples FROM test_duration_window
                    WHERE file IN (SELECT value FROM json_each(?))
                    """,
                arguments: [list]
            ) { byFile[WorkItem($0.item).file, default: [:]][$0.item] = $0.durations }
            return byFile
        }
    }

    /// Every sample of one item, oldest first. Scans the samples (no index on item keeps writes
    /// cheap): for inspection and tests; planning reads the windows.
    public func samples(item: String) throws(HistoryStoreError) -> [StoredSample] {
        try reading { db in
            try StoredSample.filter(StoredSample.Columns.item == item)
                .order(StoredSample.Columns.rowID)
                .fetchAll(db)
        }
    }

    /// Runs `sql` (selecting item, durations, updated_at, passing_samples) and hands each row over
    /// as a window cut to K, decoding the BLOB in place without copying it.
    private func collectWindows(
        _ db: Database,
        sql: String,
        arguments: StatementArguments = [],
        _ body: (DurationWindow) throws -> Void
    ) throws {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            var durations = try row.withUnsafeData(atIndex: 1) { try DurationBlob.decode($0) }
            if durations.count > windowSize { durations.removeLast(durations.count - windowSize) }
            try body(DurationWindow(item: row[0], durations: durations, updatedAt: row[2], passingSamples: row[3]))
        }
    }

    func jsonArray(_ strings: [String]) throws(HistoryStoreError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
        } catch {
            throw invalid("cannot encode the list of \(strings.count) ids for the query: \(error)")
        }
    }
}
