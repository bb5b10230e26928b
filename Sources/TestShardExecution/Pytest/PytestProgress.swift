import TestShardJUnit
import TestShardModel

/// What the progress plugin recorded for one pytest session, node ids as pytest wrote them
/// (relative to `rootdir`).
struct PytestProgress: Sendable, Hashable {
    /// One phase report of one test.
    struct Phase: Sendable, Hashable {
        var when: String
        var outcome: String
        var duration: Double
        var crashMessage: String?
        var text: String
        var xfail: String?
    }

    /// One test, from its `start` line on.
    struct Test: Sendable, Hashable {
        var nodeID: String
        var phases: [Phase] = []
        var finished = false
        /// The plugin's clock at `start`, and the seconds from `start` to `finish`: the test's
        /// whole time in the process (its phases plus pytest's reporting around them).
        var startedAt: Double? = nil
        var seconds: Double? = nil
    }

    /// One test file's collection.
    struct Collection: Sendable, Hashable {
        var nodeID: String
        var outcome: String? = nil
        var crashMessage: String? = nil
        var text: String = ""
        /// The plugin's clock at `collectstart`, and the seconds from there to `collectreport`:
        /// the file's import and collection.
        var startedAt: Double? = nil
        var seconds: Double? = nil
    }

    /// pytest's rootdir, absolute.
    var rootdir: String? = nil
    /// Tests in the order they started.
    var tests: [Test] = []
    /// Test files in the order their collection started.
    var collections: [Collection] = []
    /// pytest's exit status, when the session got to its end.
    var exitStatus: Int? = nil

    /// The last test that started and did not finish: what was running when the shard ended.
    var lastUnfinishedTest: String? { tests.last { !$0.finished }?.nodeID }

    /// The last file whose collection started and never reported (an import that hangs).
    var lastUnfinishedCollection: String? { collections.last { $0.outcome == nil }?.nodeID }

    /// The seconds each file occupied the process, by suite-relative path (`pathPrefix` + node
    /// id): its collection plus each of its finished tests. What a file costs a shard — for small
    /// files mostly import and collection, which their tests' JUnit times leave out. Files with
    /// neither span are absent.
    ///
    /// Each span starts where the one before it in the same phase ended (the first at its own
    /// start), so what pytest does between two files or two tests — walking folders, importing a
    /// folder's `conftest.py`, reporting a test — counts for the file that follows. That time grows
    /// with the number of files in a shard; left out, it would look like per-shard start cost
    /// (1000 files of 3 tests in one session, `bench/seed/span_probe.py`: 0.93 s of a 5.12 s session
    /// between the spans with bytecode caches, 1.26 s of 13.35 s without).
    func fileSeconds(pathPrefix: String) -> [String: Double] {
        var seconds: [String: Double] = [:]
        var previousEnd: Double? = nil
        func add(_ path: String, startedAt: Double?, seconds span: Double?) {
            guard let start = startedAt, let span else { return }
            let from = previousEnd.map { $0 <= start ? $0 : start } ?? start
            let end = start + span
            seconds[pathPrefix + path, default: 0] += end - from
            previousEnd = end
        }
        for collection in collections {
            add(collection.nodeID, startedAt: collection.startedAt, seconds: collection.seconds)
        }
        previousEnd = nil
        for test in tests where test.finished {
            let file = test.nodeID.range(of: WorkItem.separator).map { String(test.nodeID[..<$0.lowerBound]) }
            add(file ?? test.nodeID, startedAt: test.startedAt, seconds: test.seconds)
        }
        return seconds
    }

    /// Results of every finished test and every file that failed or skipped at collection, with
    /// ids and files prefixed by `pathPrefix` (where rootdir lies below the suite root).
    func results(pathPrefix: String, detailLimit: Int = 8192) -> [TestCaseResult] {
        var out: [TestCaseResult] = []
        for collection in collections {
            guard let outcome = collection.outcome, outcome != "passed" else { continue }
            out.append(
                Self.collectionResult(collection, outcome: outcome, pathPrefix: pathPrefix, detailLimit: detailLimit)
            )
        }
        for test in tests where test.finished {
            out.append(Self.testResult(test, pathPrefix: pathPrefix, detailLimit: detailLimit))
        }
        return out
    }

    // MARK: - Conversion

    private static func collectionResult(
        _ collection: Collection,
        outcome: String,
        pathPrefix: String,
        detailLimit: Int
    ) -> TestCaseResult {
        let file = pathPrefix + collection.nodeID
        var result = TestCaseResult(
            id: file,
            file: file,
            classname: "",
            name: names(collection.nodeID).name,
            status: .passed,
            duration: 0
        )
        if outcome == "skipped" {
            result.status = .skipped
            result.skipReason = skipReason(collection.crashMessage)
        } else {
            result.status = .error
            let line =
                FailureText.exceptionLine(fromTraceback: collection.text)
                ?? FailureText.firstLine(collection.crashMessage ?? "collection failure")
            result.failure = TestFailure(
                type: FailureText.exceptionType(fromMessage: line),
                message: line,
                details: FailureText.bounded(collection.text, to: detailLimit),
                phase: .collection
            )
        }
        return result
    }

    private static func testResult(_ test: Test, pathPrefix: String, detailLimit: Int) -> TestCaseResult {
        let (classname, name) = names(test.nodeID)
        let file = pathPrefix + (test.nodeID.components(separatedBy: WorkItem.separator).first ?? test.nodeID)
        var result = TestCaseResult(
            id: pathPrefix + test.nodeID,
            file: file,
            classname: classname.isEmpty ? "" : moduleOf(pathPrefix) + classname,
            name: name,
            status: .passed,
            duration: test.phases.reduce(0) { $0 + max($1.duration, 0) }
        )
        let setup = test.phases.first { $0.when == "setup" }
        let call = test.phases.first { $0.when == "call" }
        if let setup, setup.outcome == "failed" {
            result.status = .error
            result.failure = failure(setup, phase: .setup, detailLimit: detailLimit)
        } else if let setup, setup.outcome == "skipped" {
            result.status = .skipped
            result.skipReason = setup.xfail.map { "xfail: " + $0 } ?? skipReason(setup.crashMessage)
        } else if let call {
            switch call.outcome {
            case "failed":
                result.status = .failed
                result.failure = failure(call, phase: .call, detailLimit: detailLimit)
            case "skipped":
                result.status = .skipped
                result.skipReason = call.xfail.map { "xfail: " + $0 } ?? skipReason(call.crashMessage)
            default:
                break
            }
        }
        if let teardown = test.phases.first(where: { $0.when == "teardown" }), teardown.outcome == "failed" {
            let later = failure(teardown, phase: .teardown, detailLimit: detailLimit)
            if var first = result.failure {
                first.details = FailureText.bounded(
                    first.details + "\n\n--- then in teardown: \(later.message) ---\n" + later.details,
                    to: detailLimit
                )
                result.failure = first
            } else {
                result.status = .error
                result.failure = later
                result.skipReason = nil
            }
        }
        return result
    }

    private static func failure(_ phase: Phase, phase testPhase: TestPhase, detailLimit: Int) -> TestFailure {
        let line = FailureText.firstLine(phase.crashMessage ?? phase.text)
        return TestFailure(
            type: FailureText.exceptionType(fromMessage: line) ?? FailureText.exceptionType(fromTraceback: phase.text),
            message: line,
            details: FailureText.bounded(phase.text, to: detailLimit),
            phase: testPhase
        )
    }

    private static func skipReason(_ message: String?) -> String? {
        guard var text = message.map(FailureText.firstLine), !text.isEmpty else { return nil }
        if text.hasPrefix("Skipped: ") { text.removeFirst("Skipped: ".count) }
        return text
    }

    /// pytest's JUnit naming of a node id: `a/b.py::C::t[x]` → (`a.b.C`, `t[x]`); a file → (``, `a.b`).
    static func names(_ nodeID: String) -> (classname: String, name: String) {
        let bracket = nodeID.firstIndex(of: "[") ?? nodeID.endIndex
        var parts = nodeID[..<bracket].components(separatedBy: WorkItem.separator)
        parts[parts.count - 1] += nodeID[bracket...]
        parts[0] = moduleOf(parts[0])
        if parts.count == 1 { return ("", parts[0]) }
        return (parts.dropLast().joined(separator: "."), parts[parts.count - 1])
    }

    /// `tests/a.py` → `tests.a`; `sub/` → `sub.`.
    private static func moduleOf(_ path: String) -> String {
        var text = path
        if text.hasSuffix(".py") { text.removeLast(3) }
        return text.split(separator: "/", omittingEmptySubsequences: false).joined(separator: ".")
    }
}
