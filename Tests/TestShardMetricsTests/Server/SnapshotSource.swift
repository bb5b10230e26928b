import Synchronization
import TestShardMetrics

/// A snapshot the test changes between scrapes, counting how often the server reads it.
final class SnapshotSource: Sendable {
    private let state: Mutex<(snapshot: MetricsSnapshot, reads: Int)>

    init(_ snapshot: MetricsSnapshot) {
        state = Mutex((snapshot, 0))
    }

    /// What the server's snapshot closure returns.
    func next() -> MetricsSnapshot {
        state.withLock { state in
            state.reads += 1
            return state.snapshot
        }
    }

    func update(_ change: (inout MetricsSnapshot) -> Void) {
        state.withLock { change(&$0.snapshot) }
    }

    var reads: Int { state.withLock { $0.reads } }
}

/// Log records the server emitted, for tests that check an operator would see a refusal.
final class LogSink: Sendable {
    private let records = Mutex<[MetricsServer.LogRecord]>([])

    func append(_ record: MetricsServer.LogRecord) {
        records.withLock { $0.append(record) }
    }

    var all: [MetricsServer.LogRecord] { records.withLock { $0 } }
}
