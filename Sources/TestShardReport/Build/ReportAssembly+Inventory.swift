import Foundation
import TestShardModel

extension ReportAssembly {
    // MARK: 1. Configuration

    mutating func prepareConfiguration() {
        let configuration = snapshot.configuration
        var masks: [ProjectMask] = []
        for pattern in configuration.masks {
            do throws(ReportInputError) { masks.append(try ProjectMask(pattern)) } catch {
                warnings.append(error.message)
            }
        }
        normalizer = SignatureNormalizer(repoRoots: configuration.repoRoots, masks: masks)

        let ruleSources =
            configuration.triageRules.map { ($0, "rule") }
            + (configuration.builtinRules ? BuiltinTriageRules.all.map { ($0, "builtin") } : [])
        for (rule, origin) in ruleSources {
            let (compiled, problem) = CompiledRule.compile(rule, origin: origin)
            if let compiled { rules.append(compiled) }
            if let problem { warnings.append(problem.message) }
        }

        func globs(_ patterns: [String], owner: String) -> [PrefixedGlob] {
            patterns.compactMap { pattern in
                do throws(Glob.ParseError) { return PrefixedGlob(try Glob(pattern)) } catch {
                    warnings.append("\(owner): \(error.description); the pattern was skipped — fix it")
                    return nil
                }
            }
        }
        areaGlobs = configuration.areas.map { ($0, globs($0.globs, owner: "area \"\($0.id)\"")) }
        categoryGlobs = configuration.categories.map { ($0, globs($0.globs, owner: "category \"\($0.id)\"")) }

        reportDay = CalendarDay(epochSeconds: snapshot.run.startedAt)
        if let text = configuration.reportDate {
            if let day = CalendarDay(text) {
                reportDay = day
            } else {
                warnings.append("reportDate \"\(text)\" is not YYYY-MM-DD; used the run's start day \(reportDay)")
            }
        }
        for entry in configuration.quarantine {
            guard let expires = entry.expires else {
                activeQuarantine[entry.id] = entry
                continue
            }
            guard let day = CalendarDay(expires) else {
                warnings.append(
                    "quarantine entry \"\(entry.id)\" expires \"\(expires)\", which is not YYYY-MM-DD; it was kept active — fix the date"
                )
                activeQuarantine[entry.id] = entry
                continue
            }
            if reportDay > day { expiredQuarantine.append(entry) } else { activeQuarantine[entry.id] = entry }
        }
        quarantineHasClassEntries = activeQuarantine.keys.contains { $0.contains(WorkItem.separator) }
    }

    // MARK: 2. Inventory

    mutating func indexInventory() {
        var seen = Set<String>()
        var areaCaches = areaGlobs.map { globs in globs.1.map { _ in [Substring: Bool]() } }
        var categoryCaches = categoryGlobs.map { globs in globs.1.map { _ in [Substring: Bool]() } }
        func matching<Definition>(
            _ path: String,
            _ definitions: [(Definition, [PrefixedGlob])],
            _ caches: inout [[[Substring: Bool]]]
        ) -> [Definition] {
            var out: [Definition] = []
            for (index, (definition, globs)) in definitions.enumerated() {
                for (globIndex, glob) in globs.enumerated() where glob.matches(path, cache: &caches[index][globIndex]) {
                    out.append(definition)
                    break
                }
            }
            return out
        }
        for expected in snapshot.expectedFiles.sorted(by: { $0.path < $1.path })
        where seen.insert(expected.path).inserted {
            let areas = expected.areas ?? matching(expected.path, areaGlobs, &areaCaches).map(\.id)
            let categories = expected.categories ?? matching(expected.path, categoryGlobs, &categoryCaches).map(\.id)
            fileIndex[expected.path] = files.count
            files.append(
                FileInfo(
                    path: expected.path,
                    areas: Array(Set(areas)).sorted(),
                    categories: Array(Set(categories)).sorted(),
                    estimate: expected.estimateSeconds,
                    quarantined: activeQuarantine[expected.path] != nil
                )
            )
        }
        var workers = Set<String>()
        for (slot, shard) in snapshot.shardAttempts.enumerated() {
            let key = Self.shardKey(shard.shardId, shard.attempt)
            shardKeys.append(key)
            shardByKey[key] = shard
            shardSlot[ShardRef(id: shard.shardId, attempt: shard.attempt)] = slot
            if let worker = shard.workerId { workers.insert(worker) }
            for item in shard.items {
                if let index = fileIndex[item.file] { files[index].shards.insert(slot) }
            }
        }
        runWorkerCount = workers.count
    }

    // MARK: 3. Tests

    mutating func aggregateTests() {
        // Fenced attempts (a late answer to an expired lease) are shown in the log, never counted.
        attemptsByShard = Array(repeating: [], count: snapshot.shardAttempts.count)
        attempts.reserveCapacity(snapshot.testAttempts.count)
        attemptShard.reserveCapacity(snapshot.testAttempts.count)
        for attempt in snapshot.testAttempts {
            let slot = shardSlot[ShardRef(id: attempt.shardId, attempt: attempt.shardAttempt)] ?? -1
            if slot >= 0 && !snapshot.shardAttempts[slot].accepted { continue }
            var attempt = attempt
            // A result file can carry a nonsense time; it must not poison sums and the JSON.
            if !attempt.result.duration.isFinite || attempt.result.duration < 0 { attempt.result.duration = 0 }
            attempts.append(attempt)
            attemptShard.append(slot)
        }
        // Tests in order of first appearance: deterministic for a given snapshot without sorting
        // tens of thousands of ids (every list that is shown is sorted where it is built).
        var slotOfTest: [String: Int] = [:]
        var byTest: [[Int]] = []
        slotOfTest.reserveCapacity(attempts.count)
        failureTexts = Array(repeating: nil, count: attempts.count)
        attemptCluster = Array(repeating: nil, count: attempts.count)
        for (index, attempt) in attempts.enumerated() {
            if let slot = slotOfTest[attempt.result.id] {
                byTest[slot].append(index)
            } else {
                slotOfTest[attempt.result.id] = byTest.count
                byTest.append([index])
            }
            if attemptShard[index] >= 0 { attemptsByShard[attemptShard[index]].append(index) }
            if attempt.result.status.isFailure {
                failureTexts[index] = FailureText(result: attempt.result, repoRoots: snapshot.configuration.repoRoots)
            }
        }
        for group in byTest {
            let id = attempts[group[0]].result.id
            let indices =
                group.count == 1
                ? group
                : group.sorted { lhs, rhs in
                    let a = attempts[lhs]
                    let b = attempts[rhs]
                    return (a.retryIndex, a.shardAttempt, a.shardId, lhs) < (
                        b.retryIndex, b.shardAttempt, b.shardId, rhs
                    )
                }
            let first = attempts[indices[0]].result
            var unit = TestUnit(id: id, file: first.file, name: first.name, attempts: indices)
            unit.collectionOnly = indices.allSatisfy { failureTexts[$0]?.phase == .collection }
            unit.verdict = Self.verdict(indices.map { attempts[$0].result.status })
            unit.quarantineEntry = quarantineEntry(for: id, file: first.file)
            tests.append(unit)
            if let fileSlot = fileIndex[first.file] {
                if unit.collectionOnly {
                    files[fileSlot].collectionFailures.append(tests.count - 1)
                } else {
                    files[fileSlot].testIds.append(tests.count - 1)
                }
                for index in indices {
                    files[fileSlot].duration += attempts[index].result.duration
                    if attemptShard[index] >= 0 { files[fileSlot].shards.insert(attemptShard[index]) }
                }
            } else {
                outsideInventory.insert(first.file)
            }
        }
        testIndex = slotOfTest
        if !outsideInventory.isEmpty {
            let sample = outsideInventory.sorted().prefix(5).joined(separator: ", ")
            warnings.append(
                "results arrived for \(outsideInventory.count) file(s) outside the inventory (\(sample)); they are listed under tests but have no file state — check that result paths are relative to the suite root"
            )
        }
    }

    static func verdict(_ statuses: [TestStatus]) -> TestVerdict {
        switch RunVerdictCode.of(statuses) {
        case .pass: .passed
        case .fail: .failed
        case .flaky: .flaky
        case .excluded: .skipped
        }
    }

    /// The active quarantine entry covering a test: its id, its file, or a `::` prefix (a class).
    func quarantineEntry(for testId: String, file: String) -> String? {
        guard !activeQuarantine.isEmpty else { return nil }
        if activeQuarantine[testId] != nil { return testId }
        if activeQuarantine[file] != nil { return file }
        guard quarantineHasClassEntries else { return nil }
        // Every `::` boundary of the id, longest prefix first (a class inside a file).
        let bytes = Array(testId.utf8)
        var index = bytes.count - 2
        while index > 0 {
            if bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: ":") {
                let prefix = String(decoding: bytes[..<index], as: UTF8.self)
                if activeQuarantine[prefix] != nil { return prefix }
            }
            index -= 1
        }
        return nil
    }

    // MARK: 4. File states

    mutating func assignFileStates() {
        var itemsByFile: [String: [ItemFinalState]] = [:]
        for state in snapshot.itemStates { itemsByFile[state.item.file, default: []].append(state) }
        let cutShort = snapshot.run.endReason != .completed

        for slot in files.indices {
            var file = files[slot]
            let items = (itemsByFile[file.path] ?? []).sorted { $0.item < $1.item }
            var failingCount = 0
            var hardFailingCount = 0
            var flakyCount = 0
            var passedCount = 0
            for index in file.testIds {
                let verdict = tests[index].verdict
                file.tests.add(Self.status(of: verdict))
                switch verdict {
                case .failed:
                    failingCount += 1
                    if tests[index].quarantineEntry == nil { hardFailingCount += 1 }
                case .flaky: flakyCount += 1
                case .passed: passedCount += 1
                case .skipped, .notRun: break
                }
            }
            let hasUnits = !file.testIds.isEmpty
            var reasons: [(NotRunReason, ItemFinalState?)] = items.compactMap { item in
                item.notRunReason.map { ($0, item) }
            }
            if !file.collectionFailures.isEmpty && !hasUnits {
                reasons.insert((.collectionError, nil), at: 0)
            }
            reasons.sort { $0.0.precedence < $1.0.precedence }

            // A file that only failed to collect has no result, whatever the scheduler called it.
            let itemFailed = !hasUnits && file.collectionFailures.isEmpty && items.contains { $0.outcome == .failed }

            if hardFailingCount > 0 || (itemFailed && !file.quarantined) {
                file.state = .failed
                file.incompleteReason = reasons.first?.0
            } else if let (reason, item) = reasons.first {
                file.state = .notRun
                file.notRunReason = reason
                file.notRunShard =
                    item.flatMap { state in state.shardId.map { Self.shardKey($0, state.shardAttempt ?? 1) } }
                    ?? file.collectionFailures.first.flatMap { tests[$0].attempts.first }.flatMap {
                        shardKey(ofAttempt: $0)
                    }
                file.detail = item?.detail ?? notRunDetail(reason: reason, item: item, file: file)
                file.estimate = item?.estimateSeconds ?? file.estimate
            } else if items.isEmpty && !hasUnits {
                file.state = .notRun
                file.notRunReason = cutShort ? .deadline : .neverScheduled
            } else if failingCount > 0 || itemFailed {
                file.state = .quarantinedFailed
            } else if flakyCount > 0 || items.contains(where: { $0.outcome == .flaky }) {
                file.state = .flaky
            } else if passedCount > 0 || items.contains(where: { $0.outcome == .passed }) {
                file.state = .passed
            } else if hasUnits || items.contains(where: { $0.outcome == .skipped }) {
                file.state = .skipped
            } else {
                file.state = .passed
            }
            if file.state == .notRun { file.effectivelyTested = false }
            files[slot] = file
        }
    }

    /// A line saying what a file without result was doing: the collection error, or the last
    /// output of the shard it hung or crashed in.
    private func notRunDetail(reason: NotRunReason, item: ItemFinalState?, file: FileInfo) -> String? {
        switch reason {
        case .collectionError:
            return file.collectionFailures.first.flatMap { tests[$0].attempts.first }.flatMap {
                failureTexts[$0]?.message
            }
        case .timeout, .crashed, .noResults, .lostWorker:
            guard let item, let shardId = item.shardId,
                let shard = shardByKey[Self.shardKey(shardId, item.shardAttempt ?? 1)]
            else { return nil }
            return LogLines.lastMeaningful(shard.logTail) ?? shard.exit.reason
        default:
            return nil
        }
    }

    static func status(of verdict: TestVerdict) -> TestStatus {
        switch verdict {
        case .passed, .flaky: .passed
        case .failed: .failed
        case .skipped, .notRun: .skipped
        }
    }
}
