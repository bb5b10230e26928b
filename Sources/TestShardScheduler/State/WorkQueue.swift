/// One waiting unit of the queue: a single job that may be batched with others, or a pinned group
/// (an isolation piece, or a shard handed out again unchanged) that goes out exactly as it is.
struct QueueEntry: Sendable {
    /// Indices into the state machine's jobs, in hand-out order.
    var jobs: [Int]
    /// Summed estimate of the jobs, seconds.
    var estimate: Double
    /// Tie-break between equal estimates: the first job's item id (smaller goes first).
    var key: String
    /// Whether the entry must go out alone, exactly as it is.
    var pinned: Bool
    /// For a group handed out again unchanged: the lease it had, so the next hand-out is its next attempt.
    var previousLease: LeaseKey?
    /// When it entered the queue (retry preference waits count from here).
    var enqueuedAt: Double
    /// Whether some job prefers other workers (a retry of a failed test).
    var hasPreference: Bool
    /// Whether some job was refused by some worker.
    var hasRefusals: Bool
}

/// The queue in longest-estimate-first order, ties by item id.
///
/// Stored ascending so that the next entry is the last one and taking from the head is `removeLast`.
struct WorkQueue: Sendable {
    private(set) var entries: [QueueEntry] = []
    /// Summed estimate of every waiting job.
    private(set) var estimatedSeconds = 0.0
    /// Waiting jobs (an entry may hold several).
    private(set) var jobCount = 0
    /// Entries with a worker preference, so timers need not scan the whole queue when there are none.
    private(set) var preferenceEntries = 0
    /// Entries with refusals, likewise.
    private(set) var refusalEntries = 0

    var isEmpty: Bool { entries.isEmpty }

    /// Whether `a` is handed out after `b`.
    private static func goesAfter(_ a: QueueEntry, _ b: QueueEntry) -> Bool {
        a.estimate < b.estimate || (a.estimate == b.estimate && a.key > b.key)
    }

    mutating func insert(_ entry: QueueEntry) {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if Self.goesAfter(entries[mid], entry) { low = mid + 1 } else { high = mid }
        }
        entries.insert(entry, at: low)
        account(entry, sign: 1)
    }

    /// Removes the entries at `offsets` (any order, no duplicates) and returns them in the order given.
    mutating func remove(at offsets: [Int]) -> [QueueEntry] {
        let taken = offsets.map { entries[$0] }
        for offset in offsets.sorted(by: >) {
            account(entries.remove(at: offset), sign: -1)
        }
        return taken
    }

    mutating func removeAll() -> [QueueEntry] {
        let all = entries.reversed() as [QueueEntry]
        entries.removeAll()
        estimatedSeconds = 0
        jobCount = 0
        preferenceEntries = 0
        refusalEntries = 0
        return all
    }

    private mutating func account(_ entry: QueueEntry, sign: Int) {
        jobCount += sign * entry.jobs.count
        preferenceEntries += entry.hasPreference ? sign : 0
        refusalEntries += entry.hasRefusals ? sign : 0
        // Recomputed from scratch when empty so floating-point drift cannot accumulate over a long run.
        estimatedSeconds = entries.isEmpty ? 0 : max(0, estimatedSeconds + Double(sign) * entry.estimate)
    }
}
