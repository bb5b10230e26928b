/// How a ``HistoryStore`` is opened.
public struct HistoryStoreConfiguration: Sendable, Hashable {
    /// K: how many of the newest passing durations each item's window keeps (and returns).
    /// Lowering it shortens windows as they are read and written; raising it fills them as new
    /// samples come (or at once with ``HistoryStore/rebuildDurationWindows()``).
    public var windowSize: Int
    /// Seconds to wait for another process's write lock before giving up.
    public var busyTimeout: Double

    public init(windowSize: Int = 10, busyTimeout: Double = 10) {
        self.windowSize = windowSize
        self.busyTimeout = busyTimeout
    }
}
