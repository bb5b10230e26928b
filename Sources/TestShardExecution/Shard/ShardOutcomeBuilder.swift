import TestShardJUnit
import TestShardModel

/// Turns `ShardEvidence` into a `ShardDecision`.
///
/// 1. Results: the JUnit's; when it is not complete, plus what the progress log recovered.
/// 2. Exit kind, first match wins:
///
/// | observation                                                  | kind           |
/// |--------------------------------------------------------------|----------------|
/// | cancelled                                                    | `cancelled`    |
/// | timed out                                                    | `timeout`      |
/// | ended by a signal                                            | `crash`        |
/// | JUnit missing, empty, truncated or corrupt                   | `no_results`   |
/// | exit 0, or pytest's 5 ("no tests collected")                 | `ok`           |
/// | pytest exit 1 / other runner non-zero, failing tests in JUnit | `tests_failed` |
/// | any other exit                                               | `crash`        |
///
/// 3. Items: a whole-file item is covered by tests whose file is the item; a `path::test` item by
///    that test and its parametrizations (`id[…]`) or nested tests (`id::…`). After a normal end
///    (ok, tests failed) an uncovered item is "without tests" (an empty file); otherwise it is
///    "without results", and so is an item whose test was still running.
enum ShardOutcomeBuilder {
    static func build(_ evidence: ShardEvidence) -> ShardDecision {
        // 1. Results.
        var tests = evidence.junit.tests
        var recovered = 0
        if evidence.junit.state != .ok {
            let known = Set(tests.map(\.id))
            for result in evidence.progressResults where !known.contains(result.id) {
                tests.append(result)
                recovered += 1
            }
        }

        // 2. Exit kind.
        let exit = exitOf(evidence, tests: tests)
        let normalEnd = exit.kind.isCompleteRun

        // 3. Items.
        let coverage = Coverage(items: evidence.items, tests: tests)
        let lastTest = evidence.unfinishedTests.last ?? evidence.unfinishedCollection
        var unfinishedItems = Set<WorkItem>()
        if !normalEnd {
            for test in evidence.unfinishedTests { unfinishedItems.formUnion(coverage.items(covering: test)) }
            if let file = evidence.unfinishedCollection { unfinishedItems.formUnion(coverage.items(inFile: file)) }
        }
        var withoutResults: [WorkItem] = []
        var withoutTests: [WorkItem] = []
        for item in evidence.items {
            if unfinishedItems.contains(item) {
                withoutResults.append(item)
            } else if !coverage.isCovered(item) {
                if normalEnd { withoutTests.append(item) } else { withoutResults.append(item) }
            }
        }
        let lastItem =
            normalEnd
            ? nil
            : lastTest.flatMap { test in
                coverage.items(covering: test).first ?? coverage.items(inFile: WorkItem(test).file).first
            }
        return ShardDecision(
            exit: exit,
            tests: tests,
            itemsWithoutResults: withoutResults,
            itemsWithoutTests: withoutTests,
            lastStartedItem: lastItem,
            lastStartedTest: normalEnd ? nil : lastTest,
            testsOutsideItems: tests.map(\.id).filter { coverage.items(covering: $0).isEmpty },
            recoveredTests: recovered
        )
    }

    private static func exitOf(_ evidence: ShardEvidence, tests: [TestCaseResult]) -> ShardExit {
        let lastLine = evidence.logTail.last.map { "; last output: \($0)" } ?? ""
        let code = evidence.termination.code
        let signal = evidence.termination.signal
        if evidence.cancelled {
            return ShardExit(kind: .cancelled, code: code, signal: signal, reason: "cancelled while running")
        }
        if evidence.timedOut {
            let running = evidence.unfinishedTests.last ?? evidence.unfinishedCollection
            let what = running.map { " while running \($0)" } ?? ""
            return ShardExit(
                kind: .timeout,
                code: code,
                signal: signal,
                reason: "timed out after \(DurationText.format(evidence.timeout))\(what)\(lastLine)"
            )
        }
        if let signal {
            return ShardExit(
                kind: .crash,
                signal: signal,
                reason: "killed by signal \(signal)\(signalName(signal).map { " (\($0))" } ?? "")\(lastLine)"
            )
        }
        let status = code ?? -1
        if evidence.junit.state != .ok {
            let why = evidence.junit.reason ?? "the result file is \(evidence.junit.state.rawValue)"
            return ShardExit(kind: .noResults, code: code, reason: "exit code \(status), and \(why)\(lastLine)")
        }
        if status == 0 || (evidence.runner == .pytest && status == 5) {
            return ShardExit(kind: .ok, code: code)
        }
        let failing = tests.contains { $0.status.isFailure }
        if failing && (evidence.runner != .pytest || status == 1) {
            return ShardExit(kind: .testsFailed, code: code)
        }
        let meaning = evidence.runner == .pytest ? pytestExitMeaning(status).map { " (pytest: \($0))" } ?? "" : ""
        return ShardExit(kind: .crash, code: code, reason: "exit code \(status)\(meaning)\(lastLine)")
    }

    private static func signalName(_ signal: Int32) -> String? {
        [
            1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL",
            11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM",
        ][signal]
    }

    private static func pytestExitMeaning(_ code: Int32) -> String? {
        [2: "interrupted, e.g. by a collection error", 3: "internal error", 4: "usage error"][code]
    }
}

extension ProcessOutcome.Termination {
    fileprivate var code: Int32? {
        if case .exited(let code) = self { return code }
        return nil
    }

    fileprivate var signal: Int32? {
        if case .signaled(let signal) = self { return signal }
        return nil
    }
}

/// Which items the results cover, indexed by file so a big shard stays linear.
private struct Coverage {
    private var wholeFiles: Set<String> = []
    private var splitByFile: [String: [WorkItem]] = [:]
    private var testedFiles: Set<String> = []
    private var testsByFile: [String: [String]] = [:]

    init(items: [WorkItem], tests: [TestCaseResult]) {
        for item in items {
            if item.isWholeFile { wholeFiles.insert(item.id) } else { splitByFile[item.file, default: []].append(item) }
        }
        for test in tests {
            testedFiles.insert(test.file)
            testsByFile[test.file, default: []].append(test.id)
        }
    }

    func isCovered(_ item: WorkItem) -> Bool {
        if item.isWholeFile { return testedFiles.contains(item.id) }
        return (testsByFile[item.file] ?? []).contains { Self.test($0, isIn: item) }
    }

    /// The items that a test id belongs to.
    func items(covering testID: String) -> [WorkItem] {
        let file = WorkItem(testID).file
        var out: [WorkItem] = wholeFiles.contains(file) ? [WorkItem(file)] : []
        out += (splitByFile[file] ?? []).filter { Self.test(testID, isIn: $0) }
        return out
    }

    /// The items of a file (the file itself, or its split tests).
    func items(inFile file: String) -> [WorkItem] {
        (wholeFiles.contains(file) ? [WorkItem(file)] : []) + (splitByFile[file] ?? [])
    }

    private static func test(_ id: String, isIn item: WorkItem) -> Bool {
        id == item.id || id.hasPrefix(item.id + "[") || id.hasPrefix(item.id + WorkItem.separator)
    }
}
