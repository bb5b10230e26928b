import Foundation
import TestShardModel

extension ReportAssembly {
    /// Exit kinds that are failures of the shard itself (a cancelled shard is the run's decision).
    static let failedExitKinds: Set<ShardExitKind> = [.timeout, .crash, .noResults, .lost, .refused]

    // MARK: 5. Occurrences

    mutating func collectOccurrences() {
        // a. Failed test attempts.
        for unit in tests {
            let quarantined = unit.quarantineEntry != nil
            for index in unit.attempts {
                guard let text = failureTexts[index] else { continue }
                let attempt = attempts[index]
                let shard = shard(ofAttempt: index)
                occurrences.append(
                    Occurrence(
                        signature: signature(for: text),
                        attemptIndex: index,
                        raw: Self.clip(text.message, 500),
                        testId: unit.collectionOnly ? nil : unit.id,
                        file: unit.file,
                        files: [unit.file],
                        shardKey: shardKey(ofAttempt: index),
                        workerId: attempt.workerId ?? shard?.workerId,
                        at: shard.map { $0.endedAt ?? $0.startedAt } ?? snapshot.run.startedAt,
                        cost: attempt.result.duration,
                        phase: text.phase,
                        exitKind: nil,
                        flakyTest: unit.verdict == .flaky,
                        quarantined: quarantined,
                        logTail: [],
                        lastLine: nil
                    )
                )
            }
        }

        // b. Shards that ended without results for some of their files.
        for (slot, shard) in snapshot.shardAttempts.enumerated() where Self.failedExitKinds.contains(shard.exit.kind) {
            let key = shardKeys[slot]
            let answered = Set(attemptsByShard[slot].map { attempts[$0].result.file })
            var lacking: [String] = []
            for item in shard.items where !answered.contains(item.file) && !lacking.contains(item.file) {
                lacking.append(item.file)
            }
            guard !lacking.isEmpty else { continue }
            let withoutResult = lacking.filter { path in
                guard let slot = fileIndex[path] else { return false }
                return files[slot].state == .notRun || files[slot].incompleteReason != nil
            }.sorted()
            let lastLine = LogLines.lastMeaningful(shard.logTail)
            // A lost worker's output is unknown; its reason says more than any stale line.
            let signal = shard.exit.kind == .lost ? (shard.exit.reason ?? lastLine) : (lastLine ?? shard.exit.reason)
            let signature = cachedSignature(
                key:
                    "shard\u{0}\(shard.exit.kind.rawValue)\u{0}\(signal ?? "")\u{0}\(lacking.count == 1 ? lacking[0] : "")"
            ) {
                $0.shardSignature(
                    exitKind: shard.exit.kind,
                    logLine: signal,
                    file: lacking.count == 1 ? lacking[0] : nil
                )
            }
            let end = shard.endedAt ?? snapshot.run.endedAt
            occurrences.append(
                Occurrence(
                    signature: signature,
                    attemptIndex: nil,
                    raw: Self.clip("\(shard.exit.kind.rawValue): \(signal ?? "(no output)")", 500),
                    testId: nil,
                    file: withoutResult.first ?? lacking.sorted()[0],
                    files: withoutResult,
                    shardKey: key,
                    workerId: shard.workerId,
                    at: end,
                    cost: max(0, end - shard.startedAt),
                    phase: nil,
                    exitKind: shard.exit.kind,
                    flakyTest: false,
                    quarantined: !withoutResult.isEmpty
                        && withoutResult.allSatisfy { fileIndex[$0].map { files[$0].quarantined } ?? false },
                    logTail: LogLines.tail(shard.logTail, count: 5),
                    lastLine: signal
                )
            )
        }

        // c. Collection errors found before any shard ran (pre-flight).
        for state in snapshot.itemStates where state.notRunReason == .collectionError {
            guard let slot = fileIndex[state.item.file], files[slot].collectionFailures.isEmpty,
                files[slot].notRunReason == .collectionError
            else { continue }
            let message =
                (state.detail ?? "collection error").split(separator: "\n").first.map(String.init)
                ?? "collection error"
            let type = FailureText.typeInMessage(message)
            let signature = cachedSignature(key: "collect\u{0}\(message)\u{0}\(state.item.file)") {
                $0.signature(message: message, exceptionType: type, crashLocation: state.item.file)
            }
            occurrences.append(
                Occurrence(
                    signature: signature,
                    attemptIndex: nil,
                    raw: Self.clip(message, 500),
                    testId: nil,
                    file: state.item.file,
                    files: [state.item.file],
                    shardKey: nil,
                    workerId: nil,
                    at: snapshot.run.startedAt,
                    cost: 0,
                    phase: .collection,
                    exitKind: nil,
                    flakyTest: false,
                    quarantined: files[slot].quarantined,
                    logTail: [],
                    lastLine: nil
                )
            )
        }
    }

    private mutating func signature(for text: FailureText) -> FailureSignature {
        cachedSignature(key: "test\u{0}\(text.exceptionType ?? "")\u{0}\(text.message)\u{0}\(text.crashLocation)") {
            $0.signature(message: text.message, exceptionType: text.exceptionType, crashLocation: text.crashLocation)
        }
    }

    /// Memoizes normalization: a run repeats the same raw messages many times.
    private mutating func cachedSignature(
        key: String,
        _ compute: (SignatureNormalizer) -> FailureSignature
    ) -> FailureSignature {
        if let known = signatureCache[key] { return known }
        let computed = compute(normalizer)
        signatureCache[key] = computed
        return computed
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    // MARK: 6. Clusters

    mutating func formClusters() {
        var bySignature: [String: [Int]] = [:]
        for (index, occurrence) in occurrences.enumerated() {
            bySignature[occurrence.signature.id, default: []].append(index)
            if let attempt = occurrence.attemptIndex { attemptCluster[attempt] = occurrence.signature.id }
        }
        let runStart = snapshot.run.startedAt
        for id in bySignature.keys.sorted() {
            let members = bySignature[id]!.sorted { lhs, rhs in
                let a = occurrences[lhs]
                let b = occurrences[rhs]
                return (a.file, a.testId ?? "", a.shardKey ?? "", lhs) < (b.file, b.testId ?? "", b.shardKey ?? "", rhs)
            }
            let first = occurrences[members[0]]
            var fileSet = Set<String>()
            var testSet = Set<String>()
            var shardSet = Set<String>()
            var workerCounts: [String: Int] = [:]
            var rawExamples: [String] = []
            var cost = 0.0
            var firstAt = Double.infinity
            var lastAt = -Double.infinity
            for member in members {
                let occurrence = occurrences[member]
                fileSet.formUnion(occurrence.files)
                if let test = occurrence.testId { testSet.insert(test) }
                if let shard = occurrence.shardKey { shardSet.insert(shard) }
                if let worker = occurrence.workerId { workerCounts[worker, default: 0] += 1 }
                if rawExamples.count < 3 && !rawExamples.contains(occurrence.raw) { rawExamples.append(occurrence.raw) }
                cost += occurrence.cost
                firstAt = min(firstAt, occurrence.at)
                lastAt = max(lastAt, occurrence.at)
            }
            let attributed = workerCounts.values.reduce(0, +)
            let shares = workerCounts.map { worker, count in
                WorkerShare(
                    worker: worker,
                    failures: count,
                    fraction: round4(Double(count) / Double(max(attributed, 1)))
                )
            }.sorted { ($0.failures, $1.worker) > ($1.failures, $0.worker) }
            var suspect: String?
            if let top = shares.first, runWorkerCount >= 2, members.count >= thresholds.workerConcentrationMinimum,
                shardSet.count >= 2, top.fraction >= thresholds.workerConcentration
            {
                suspect = top.worker
            }
            let sortedFiles = fileSet.sorted()
            var areaSet = Set<String>()
            var withoutResult: [String] = []
            for path in sortedFiles {
                guard let slot = fileIndex[path] else { continue }
                areaSet.formUnion(files[slot].areas)
                if files[slot].state == .notRun || files[slot].incompleteReason != nil { withoutResult.append(path) }
                files[slot].clusters.insert(id)
            }
            let memberOccurrences = members.map { occurrences[$0] }
            let report = ClusterReport(
                id: id,
                algorithm: first.signature.algorithm,
                normalized: first.signature.normalized,
                exceptionType: first.signature.exceptionType,
                exampleRaw: first.raw,
                rawExamples: rawExamples,
                exampleFrom: first.testId ?? first.file,
                exitKind: first.exitKind,
                lastLogLines: memberOccurrences.first { !$0.logTail.isEmpty }?.logTail ?? [],
                category: .unknown,
                categorySource: "default",
                severity: .medium,
                status: .new,
                ageRuns: 1,
                sinceRun: snapshot.run.id,
                firstSeenRun: snapshot.run.id,
                firstSeenAt: snapshot.run.startedAt,
                failures: members.count,
                files: sortedFiles,
                tests: testSet.sorted(),
                shards: shardSet.sorted(),
                workers: shares,
                suspectWorker: suspect,
                areas: areaSet.sorted(),
                filesWithoutResult: withoutResult,
                blocksCoverage: !withoutResult.isEmpty,
                flakyOnly: memberOccurrences.allSatisfy(\.flakyTest),
                quarantinedOnly: memberOccurrences.allSatisfy(\.quarantined),
                recovered: memberOccurrences.allSatisfy { $0.exitKind != nil && $0.files.isEmpty },
                firstAtOffset: round3(max(0, firstAt - runStart)),
                lastAtOffset: round3(max(0, lastAt - runStart)),
                costSeconds: round3(cost),
                priority: 0,
                nextAction: "",
                repro: nil,
                notes: snapshot.history.notes[id]
            )
            clusterIndex[id] = clusters.count
            clusters.append(ClusterWork(signature: first.signature, occurrences: members, report: report))
        }
    }

    // MARK: 7. Cause categories

    mutating func classifyClusters() {
        // Run-level mass failure: most decided tests failed.
        var decided = 0
        var failedTests = 0
        for unit in tests where !unit.collectionOnly && unit.verdict != .skipped {
            decided += 1
            if unit.verdict == .failed { failedTests += 1 }
        }
        runMassFailure = decided >= 10 && Double(failedTests) > thresholds.massFailureTests * Double(decided)
        let expectedCount = max(files.count, 1)

        for index in clusters.indices {
            let cluster = clusters[index]
            let members = cluster.occurrences.map { occurrences[$0] }
            let facts = ClusterFacts(
                messages: Array(Set(members.map(\.raw))).sorted() + [cluster.signature.normalized],
                exceptionType: cluster.signature.exceptionType,
                exitKind: cluster.report.exitKind,
                phases: Set(members.compactMap(\.phase)),
                massFailure: runMassFailure
                    || (cluster.report.files.count >= thresholds.massFailureMinimumFiles
                        && Double(cluster.report.files.count) > thresholds.massFailureFiles * Double(expectedCount)),
                suspectWorker: cluster.report.suspectWorker
            )
            let decision = CauseClassifier.classify(facts, rules: rules)
            clusters[index].report.category = decision.category
            clusters[index].report.categorySource = decision.source
            clusters[index].rule = decision.rule
        }

        // A file whose every failure is infrastructure/environment, and that passed nothing, was
        // not effectively tested.
        for slot in files.indices where files[slot].state != .notRun && !files[slot].clusters.isEmpty {
            let infraOnly = files[slot].clusters.allSatisfy { id in
                clusterIndex[id].map { clusters[$0].report.category.isInfrastructureLike } ?? false
            }
            if infraOnly && files[slot].tests.passed == 0 { files[slot].effectivelyTested = false }
        }
    }
}
