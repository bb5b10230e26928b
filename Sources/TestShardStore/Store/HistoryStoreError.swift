/// Why the history store could not do what was asked.
///
/// The message says what was wrong, with the offending value (the database file, the run id, the
/// item), and what to do. Match on ``code`` to react; print ``message`` to a user.
public struct HistoryStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. A struct, so cases can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case cannotOpen = "cannot_open"
            case notADatabase = "not_a_database"
            case corrupt
            case notAHistoryDatabase = "not_a_history_database"
            case newerSchema = "newer_schema"
            case duplicateRun = "duplicate_run"
            case unknownRun = "unknown_run"
            case duplicateShardAttempt = "duplicate_shard_attempt"
            case unknownItem = "unknown_item"
            case invalidValue = "invalid_value"
            case database
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file or its folder could not be created, opened or locked (permissions, a folder in
        /// the way, a full disk, another process holding the write lock past the busy timeout).
        public static let cannotOpen = Code(.cannotOpen)
        /// The file exists but is not an SQLite database at all.
        public static let notADatabase = Code(.notADatabase)
        /// The file is an SQLite database whose pages are damaged.
        public static let corrupt = Code(.corrupt)
        /// The file is a healthy SQLite database that belongs to some other program.
        public static let notAHistoryDatabase = Code(.notAHistoryDatabase)
        /// The database was migrated by a newer TestShard (it lists migrations this build does not
        /// know). Nothing was changed.
        public static let newerSchema = Code(.newerSchema)
        /// ``HistoryStore/beginRun(_:)`` was given an id that is already in the history.
        public static let duplicateRun = Code(.duplicateRun)
        /// A run id that the history does not hold.
        public static let unknownRun = Code(.unknownRun)
        /// A shard attempt `(run, shard, attempt)` that was already recorded: the second record is
        /// refused so that no result is ever counted twice.
        public static let duplicateShardAttempt = Code(.duplicateShardAttempt)
        /// An item that is not in the run's expected inventory.
        public static let unknownItem = Code(.unknownItem)
        /// A value the store refuses to keep (a negative or non-finite duration, an empty id, a
        /// record that contradicts the call it came with).
        public static let invalidValue = Code(.invalidValue)
        /// Any other SQLite failure; the message carries SQLite's own words.
        public static let database = Code(.database)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The whole human explanation: what was wrong, with the offending value, and what to do.
    public let message: String
    /// The database file involved, or `nil` for an in-memory store.
    public let path: String?

    public init(code: Code, message: String, path: String?) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { message }
}
