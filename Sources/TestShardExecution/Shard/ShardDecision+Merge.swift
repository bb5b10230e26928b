import TestShardModel

extension ShardDecision {
    /// One decision for a shard that ran as several processes (node: one per file), in run order.
    ///
    /// 1. The exit is the most serious of the parts (cancelled, timeout, crash, no results, tests
    ///    failed, ok; the first of equals), its reason prefixed with the part's file; the last
    ///    started item and test are that part's.
    /// 2. Tests and item lists are the parts' unions; `notStarted` items (the shard stopped before
    ///    their process) are without results.
    static func merging(_ parts: [(decision: ShardDecision, file: String?)], notStarted: [WorkItem]) -> ShardDecision {
        precondition(!parts.isEmpty, "merging needs at least one part; notStarted: \(notStarted)")
        let worst = parts[decidingPart(parts.map(\.decision))]
        var exit = worst.decision.exit
        if parts.count > 1, let file = worst.file, let reason = exit.reason { exit.reason = "\(file): \(reason)" }
        return ShardDecision(
            exit: exit,
            tests: parts.flatMap(\.decision.tests),
            itemsWithoutResults: parts.flatMap(\.decision.itemsWithoutResults) + notStarted,
            itemsWithoutTests: parts.flatMap(\.decision.itemsWithoutTests),
            lastStartedItem: worst.decision.lastStartedItem,
            lastStartedTest: worst.decision.lastStartedTest,
            testsOutsideItems: parts.flatMap(\.decision.testsOutsideItems),
            recoveredTests: parts.reduce(0) { $0 + $1.decision.recoveredTests }
        )
    }

    /// The index of the part whose exit is the shard's: the most serious, the first of equals.
    static func decidingPart(_ parts: [ShardDecision]) -> Int {
        var worst = 0
        for index in parts.indices.dropFirst() where severity(parts[index].exit.kind) > severity(parts[worst].exit.kind)
        {
            worst = index
        }
        return worst
    }

    private static func severity(_ kind: ShardExitKind) -> Int {
        switch kind {
        case .ok: 0
        case .testsFailed: 1
        case .noResults: 2
        case .crash: 3
        case .timeout: 4
        case .cancelled: 5
        case .lost, .refused: 6
        }
    }
}
