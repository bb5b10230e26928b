import TestShardModel

/// Writes the run's merged `junit.xml`: one `<testcase>` per test with every attempt kept.
///
/// ```
/// <testsuites name tests failures errors skipped time>
///   <testsuite name="tests/a.py" …>            one per file, sorted by name
///     <testcase classname="tests.a.TestX" name="test_y" file="tests/a.py" time="0.120">
///       <flakyFailure message type><stackTrace>…</stackTrace></flakyFailure>
///     </testcase>
/// ```
///
/// Suites are merged by name (one per file, or per classname when a runner gives no file), not
/// concatenated per shard, so a file split across shards appears once with correct counts.
/// `classname` and `name` are rebuilt from the test id in pytest's form, so the file reads back
/// (`JUnitReader`) to the same ids whatever rootdir each worker's pytest had. Everything is
/// escaped for XML 1.0; control characters that XML cannot carry are removed (`XMLText`).
public struct JUnitWriter: Sendable {
    /// The `name` of the `<testsuites>` root.
    public var name: String
    /// The most UTF-8 bytes of one failure's details written (head and tail kept).
    public var detailLimit: Int

    public init(name: String = "testshard", detailLimit: Int = 8192) {
        self.name = name
        self.detailLimit = max(detailLimit, 256)
    }

    /// The merged document.
    /// - Parameters:
    ///   - attempts: every attempt of every test, each test's attempts in the order they ran
    ///     (tests may be interleaved).
    ///   - notRun: files that have no result at all; each becomes a file-level `<error>`.
    public func write(_ attempts: [TestCaseResult], notRun: [JUnitNotRun] = []) -> String {
        var byID: [String: [TestCaseResult]] = [:]
        for attempt in attempts { byID[attempt.id, default: []].append(attempt) }
        var suites: [String: [Case]] = [:]
        // A file's dotted module name, once per file rather than once per test.
        var modules: [String: String] = [:]
        for (id, tests) in byID {
            let verdict = JUnitTestVerdict(attempts: tests)
            let file = verdict.decisive.file
            let module: String
            if let known = modules[file] {
                module = known
            } else {
                module = Case.module(file)
                modules[file] = module
            }
            let entry = Case(id: id, verdict: verdict, module: module)
            suites[entry.suite, default: []].append(entry)
        }
        for missing in notRun where !missing.file.isEmpty {
            let entry = Case(notRun: missing)
            suites[entry.suite, default: []].append(entry)
        }

        // The totals head the document: count everything first, then write it once, in order.
        let ordered = suites.keys.sorted().map { suiteName in
            let cases = suites[suiteName]!.sorted { ($0.id, $0.notRunReason ?? "") < ($1.id, $1.notRunReason ?? "") }
            var counts = Counts()
            for entry in cases { counts.add(entry) }
            return (name: suiteName, cases: cases, counts: counts)
        }
        var total = Counts()
        for suite in ordered { total.merge(suite.counts) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml.reserveCapacity(256 * (byID.count + notRun.count))
        xml += "<testsuites name=\"\(XMLText.attribute(name))\"\(total.attributes)>\n"
        for suite in ordered {
            xml += "  <testsuite name=\"\(XMLText.attribute(suite.name))\"\(suite.counts.attributes)>\n"
            for entry in suite.cases { render(entry, into: &xml) }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    // MARK: - Cases

    /// One `<testcase>` to write.
    private struct Case {
        let id: String
        let file: String
        let classname: String
        let name: String
        let status: TestStatus
        let time: Double
        let elements: [JUnitTestVerdict.Element]
        let notRunReason: String?
        let notRunDetails: String

        var suite: String { file.isEmpty ? (classname.isEmpty ? "(no file)" : classname) : file }

        /// - Parameter module: `module(file)` of the verdict's file.
        init(id: String, verdict: JUnitTestVerdict, module: String) {
            let sample = verdict.decisive
            self.id = id
            self.file = sample.file
            (self.classname, self.name) = Self.names(id: id, file: sample.file, sample: sample, module: module)
            self.status = verdict.status
            self.time = sample.duration
            self.elements = verdict.elements
            self.notRunReason = nil
            self.notRunDetails = ""
        }

        init(notRun: JUnitNotRun) {
            self.id = notRun.file
            self.file = notRun.file
            self.classname = ""
            self.name = Self.module(notRun.file)
            self.status = .error
            self.time = 0
            self.elements = []
            self.notRunReason = notRun.reason
            self.notRunDetails = notRun.details
        }

        /// pytest's spelling of an id: `tests/a.py::TestX::test_y[p]` → (`tests.a.TestX`, `test_y[p]`);
        /// a file-level id → (``, `tests.a`). Other ids keep what the runner wrote.
        static func names(id: String, file: String, sample: TestCaseResult, module: String) -> (String, String) {
            guard !file.isEmpty else { return (sample.classname, sample.name) }
            if id == file { return ("", module) }
            guard id.hasPrefix(file + WorkItem.separator) else { return (sample.classname, sample.name) }
            let inside = id.dropFirst(file.count + WorkItem.separator.count)
            // Parameters may contain `::` or `.`; only the part before `[` names classes.
            let bracket = inside.firstIndex(of: "[") ?? inside.endIndex
            var parts = Self.split(inside[..<bracket])
            parts[parts.count - 1] += inside[bracket...]
            let classes = parts.dropLast()
            guard !parts.contains(where: \.isEmpty),
                !classes.contains(where: { part in part.contains(where: { $0 == "." }) })
            else {
                return (sample.classname, sample.name)
            }
            var classname = module
            for part in classes {
                classname += "."
                classname += part
            }
            return (classname, parts[parts.count - 1])
        }

        /// `a::b::c` → [`a`, `b`, `c`], as `components(separatedBy: "::")` but on UTF-8 bytes
        /// without Foundation (this runs for every test; Foundation is slow on Linux). A `:::` run
        /// splits at its first two colons, as `components` does.
        static func split(_ text: Substring) -> [String] {
            var parts: [String] = []
            let bytes = text.utf8
            var start = bytes.startIndex
            var index = start
            while index != bytes.endIndex {
                let next = bytes.index(after: index)
                if bytes[index] == UInt8(ascii: ":"), next != bytes.endIndex, bytes[next] == UInt8(ascii: ":") {
                    parts.append(String(text[start..<index]))
                    start = bytes.index(after: next)
                    index = start
                } else {
                    index = next
                }
            }
            parts.append(String(text[start...]))
            return parts
        }

        static func module(_ file: String) -> String {
            var base = Substring(file)
            if let dot = base.lastIndex(of: "."), !base[dot...].contains(where: { $0 == "/" }), dot != base.startIndex {
                base = base[..<dot]
            }
            return base.split(separator: "/", omittingEmptySubsequences: true).joined(separator: ".")
        }
    }

    private struct Counts {
        var tests = 0
        var failures = 0
        var errors = 0
        var skipped = 0
        var time = 0.0

        mutating func add(_ entry: Case) {
            tests += 1
            time += entry.time
            switch entry.status {
            case .failed: failures += 1
            case .error: errors += 1
            case .skipped: skipped += 1
            case .passed: break
            }
        }

        mutating func merge(_ other: Counts) {
            tests += other.tests
            failures += other.failures
            errors += other.errors
            skipped += other.skipped
            time += other.time
        }

        var attributes: String {
            " tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
                + " time=\"\(JUnitWriter.seconds(time))\""
        }
    }

    // MARK: - Rendering

    private func render(_ entry: Case, into xml: inout String) {
        xml += "    <testcase classname=\""
        xml += XMLText.attribute(entry.classname)
        xml += "\" name=\""
        xml += XMLText.attribute(entry.name)
        if !entry.file.isEmpty {
            xml += "\" file=\""
            xml += XMLText.attribute(entry.file)
        }
        xml += "\" time=\""
        xml += Self.seconds(entry.time)
        xml += "\""
        if entry.notRunReason == nil, entry.elements.isEmpty {
            xml += "/>\n"
            return
        }
        xml += ">\n"
        if let reason = entry.notRunReason {
            xml += outcome(
                "error",
                message: "not run: \(reason)",
                type: "testshard.NotRun",
                text: entry.notRunDetails,
                nested: false
            )
        }
        for element in entry.elements {
            xml += render(element)
        }
        xml += "    </testcase>\n"
    }

    private func render(_ element: JUnitTestVerdict.Element) -> String {
        switch element {
        case .failure(let attempt): outcome("failure", attempt, nested: false)
        case .error(let attempt): outcome("error", attempt, nested: false)
        case .rerunFailure(let attempt): outcome("rerunFailure", attempt, nested: true)
        case .rerunError(let attempt): outcome("rerunError", attempt, nested: true)
        case .flakyFailure(let attempt): outcome("flakyFailure", attempt, nested: true)
        case .flakyError(let attempt): outcome("flakyError", attempt, nested: true)
        case .skipped(let attempt):
            outcome("skipped", message: attempt.skipReason ?? "", type: nil, text: "", nested: false)
        }
    }

    private func outcome(_ tag: String, _ attempt: TestCaseResult, nested: Bool) -> String {
        let failure = attempt.failure ?? TestFailure(message: attempt.status.rawValue)
        return outcome(tag, message: Self.message(failure), type: failure.type, text: failure.details, nested: nested)
    }

    /// pytest's wording for where an error happened, which `JUnitReader` reads back as the phase.
    private static func message(_ failure: TestFailure) -> String {
        switch failure.phase {
        case .setup: "failed on setup with \"\(failure.message)\""
        case .teardown: "failed on teardown with \"\(failure.message)\""
        case .collection: "collection failure: \(failure.message)"
        case .call, nil: failure.message
        }
    }

    /// `<tag message type>text</tag>`; Surefire's rerun and flaky elements hold the text in a
    /// `<stackTrace>` child.
    private func outcome(_ tag: String, message: String, type: String?, text: String, nested: Bool) -> String {
        var xml = "      <\(tag) message=\"\(XMLText.attribute(message))\""
        if let type, !type.isEmpty { xml += " type=\"\(XMLText.attribute(type))\"" }
        let body = XMLText.content(text.bounded(to: detailLimit))
        if body.isEmpty { return xml + "/>\n" }
        if nested { return xml + ">\n        <stackTrace>" + body + "</stackTrace>\n      </\(tag)>\n" }
        return xml + ">" + body + "</\(tag)>\n"
    }

    /// Seconds with millisecond precision, as pytest writes them (`0.120`).
    static func seconds(_ value: Double) -> String {
        let millis = Int64((max(value, 0).isFinite ? max(value, 0) : 0) * 1000 + 0.5)
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
