import Foundation
import TestShardModel

/// Reads a JUnit XML result file into `TestCaseResult`s whose ids are rooted at the suite root
/// (`tests/a.py::TestX::test_y[param]`), and says whether the file was complete.
///
/// Understood: pytest's `xunit1` (with `file` attributes) and `xunit2` (without), node:test's
/// `--test-reporter=junit` (test cases directly under `<testsuites>`, `describe` blocks as nested
/// suites), `swift test --xunit-output`, Surefire/Gradle (`<flakyFailure>` and `<rerunFailure>`
/// are read as part of the final verdict, not as separate results) and generic JUnit.
///
/// How a test case gets its file, in order:
/// 1. the `file` attribute, matched against the candidates (exactly, with `pathPrefix`, then by
///    a unique suffix);
/// 2. the dotted `classname` (or, for a pytest collection error, the dotted `name`) against the
///    candidates' module names, longest prefix first; what follows the module is the class path;
/// 3. with the `.pytest` dialect, pytest's own mapping: `tests.test_a.TestX` → `tests/test_a.py`;
/// 4. `defaultFile`; else the file stays empty and the id is `classname::suite…::name`.
///
/// Never traps, whatever the bytes: damage shows up as the `state` and `reason` of the result.
public struct JUnitReader: Sendable {
    /// Which runner's naming conventions to assume when no candidate explains a test case.
    public enum Dialect: String, Sendable, Codable, CaseIterable {
        /// `classname` is a dotted Python module path plus class names.
        case pytest
        /// `classname` is opaque (node:test's `test`, `swift test`'s `Module.Suite`, Java classes).
        case generic
        /// node:test's `--test-reporter=junit`: `classname` is opaque and every `<testsuite>` is a
        /// `describe` block, never a report-level wrapper, even when a file holds nothing but one
        /// `describe` (so no test case sits directly under `<testsuites>`).
        case node
    }

    /// Naming conventions for test cases no candidate explains.
    public var dialect: Dialect
    /// The file given to test cases whose file cannot be found otherwise (e.g. the one file of a
    /// node:test shard, whose JUnit has no file names).
    public var defaultFile: String?
    /// The most UTF-8 bytes kept of a failure's details (traceback plus captured output), head and
    /// tail together.
    public var detailLimit: Int
    /// Files larger than this are not parsed (state `corrupt`): no runner writes them on purpose.
    public var maximumFileBytes: Int
    private let resolver: TestFileResolver

    /// - Parameters:
    ///   - candidateFiles: test files, relative to the suite root, that results may belong to (the
    ///     shard's items' files or the whole inventory).
    ///   - pathPrefix: where the runner's root lies below the suite root (`sub` when pytest's
    ///     rootdir is `<suite root>/sub`); prepended to paths no candidate explains.
    public init(
        candidateFiles: [String] = [],
        pathPrefix: String = "",
        defaultFile: String? = nil,
        dialect: Dialect = .pytest,
        detailLimit: Int = 8192,
        maximumFileBytes: Int = 512 * 1024 * 1024
    ) {
        self.dialect = dialect
        self.defaultFile = defaultFile
        self.detailLimit = max(detailLimit, 256)
        self.maximumFileBytes = maximumFileBytes
        self.resolver = TestFileResolver(candidates: candidateFiles, pathPrefix: pathPrefix)
    }

    /// Reads the file at `path`; a missing, unreadable or oversized file is a state, not an error.
    public func read(contentsOf path: String) -> JUnitReadResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return JUnitReadResult(tests: [], state: .missing, reason: "no result file at \(path)")
        }
        if isDirectory.boolValue {
            return JUnitReadResult(tests: [], state: .corrupt, reason: "\(path) is a directory, not a JUnit file")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
            size.intValue > maximumFileBytes
        {
            return JUnitReadResult(
                tests: [],
                state: .corrupt,
                reason: "\(path) holds \(size.intValue) bytes, more than the \(maximumFileBytes) bytes read"
            )
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return parse(data)
        } catch {
            return JUnitReadResult(tests: [], state: .corrupt, reason: "cannot read \(path): \(error)")
        }
    }

    /// Parses a JUnit document held in memory.
    public func parse(_ data: Data) -> JUnitReadResult {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return JUnitReadResult(tests: [], state: .empty, reason: "the result file is empty")
        }
        let document = JUnitDocumentParser.parse(data, detailLimit: detailLimit)
        let tests = convert(document)
        let (state, reason) = Self.judge(document, data: data, readable: tests.count)
        return JUnitReadResult(tests: tests, state: state, reason: reason)
    }

    // MARK: - Completeness

    private static func judge(_ document: RawDocument, data: Data, readable: Int) -> (JUnitFileState, String?) {
        let position = "line \(document.errorLine), column \(document.errorColumn)"
        let parserSays = document.errorDescription.map { "\($0) at \(position)" } ?? "no parser error"
        let kept = "\(readable) complete test case\(readable == 1 ? "" : "s") before it"
        if let refusal = document.refusal { return (.corrupt, refusal) }
        guard let root = document.rootName else {
            // A file cut inside its XML declaration still starts like XML.
            let looksLikeXML = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) == 0x3C
            if looksLikeXML {
                return (.truncated, "the result file stops before its root element (\(parserSays))")
            }
            return (.corrupt, "the result file is not XML (\(parserSays))")
        }
        guard root == "testsuites" || root == "testsuite" else {
            if !document.rootClosed && "testsuites".hasPrefix(root) {
                return (.truncated, "the result file stops inside its root element's name (\(parserSays))")
            }
            return (.corrupt, "the root element is <\(root)>, not <testsuites> or <testsuite>")
        }
        if !document.parseFailed && document.rootClosed && document.openElements == 0 {
            return (.ok, nil)
        }
        // XMLParser reports success on some cut documents, so completeness is judged by structure:
        // a document that still ends with its root's end tag was damaged in the middle, anything
        // else was cut short.
        if endsWithClosingTag(data, name: root) && document.parseFailed {
            return (.corrupt, "the result file is damaged (\(parserSays)); \(kept)")
        }
        return (.truncated, "the result file stops before </\(root)> (\(parserSays)); \(kept)")
    }

    private static func endsWithClosingTag(_ data: Data, name: String) -> Bool {
        var end = data.endIndex
        while end > data.startIndex, [0x20, 0x0A, 0x0D, 0x09].contains(data[data.index(before: end)]) {
            end = data.index(before: end)
        }
        let tag = Array("</\(name)>".utf8)
        guard data.distance(from: data.startIndex, to: end) >= tag.count else { return false }
        return data[data.index(end, offsetBy: -tag.count)..<end].elementsEqual(tag)
    }

    // MARK: - Conversion

    private func convert(_ document: RawDocument) -> [TestCaseResult] {
        // The outermost suite is a report-level wrapper (pytest's "pytest", swift's "TestResults")
        // unless test cases sit directly under <testsuites>, as node:test writes them; node:test
        // has no wrapper at all, which only the dialect can tell when a file is one `describe`.
        let dropOuterSuite =
            dialect != .node && !(document.rootName == "testsuites" && document.rootHasDirectTestCases)
        var results: [TestCaseResult] = []
        var indexByID: [String: Int] = [:]
        for raw in document.testCases {
            guard let result = convert(raw, dropOuterSuite: dropOuterSuite) else { continue }
            if let index = indexByID[result.id] {
                results[index] = Self.merge(results[index], result, detailLimit: detailLimit)
            } else {
                indexByID[result.id] = results.count
                results.append(result)
            }
        }
        return results
    }

    private func convert(_ raw: RawTestCase, dropOuterSuite: Bool) -> TestCaseResult? {
        let classname = raw.attributes["classname"] ?? ""
        // pytest leaves a nameless <testcase/> for the test it was interrupted in.
        guard let name = raw.attributes["name"], !name.isEmpty else { return nil }
        let duration = Self.seconds(raw.attributes["time"])
        let outcome = raw.outcomes.first { $0.kind != .skipped } ?? raw.outcomes.first
        let collectionLevel = classname.isEmpty && (outcome?.message).map(Self.isCollectionMessage) == true

        let (file, id) = locate(
            raw,
            classname: classname,
            name: name,
            collectionLevel: collectionLevel,
            dropOuterSuite: dropOuterSuite
        )
        var result = TestCaseResult(
            id: id,
            file: file,
            classname: classname,
            name: name,
            status: .passed,
            duration: duration
        )
        guard let outcome else {
            if let nodeFailure = raw.attributes["failure"] {
                // node:test also puts the message on the test case itself.
                result.status = .failed
                result.failure = TestFailure(message: FailureText.firstLine(nodeFailure), phase: .call)
            }
            return result
        }
        let body = outcome.body.text
        let message = outcome.message ?? ""
        switch outcome.kind {
        case .skipped:
            result.status = .skipped
            var reason = message.isEmpty ? FailureText.firstLine(body) : message
            if message == "collection skipped", let parsed = FailureText.collectionSkipReason(body) { reason = parsed }
            if outcome.type == "pytest.xfail" { reason = "xfail: " + reason }
            result.skipReason = reason.isEmpty ? nil : reason.bounded(to: FailureText.messageLimit)
        case .failure:
            result.status = .failed
            result.failure = failure(outcome, message: message, body: body, output: raw.output, phase: .call)
        case .error:
            result.status = .error
            if Self.isCollectionMessage(message) {
                // pytest writes "collection failure"; our merged file adds ": <the error>".
                let written = message.dropFirst("collection failure".count).drop { $0 == ":" || $0 == " " }
                let line =
                    written.isEmpty ? FailureText.exceptionLine(fromTraceback: body) ?? message : String(written)
                result.failure = failure(outcome, message: line, body: body, output: raw.output, phase: .collection)
            } else if let (phase, inner) = FailureText.pytestPhaseError(message) {
                result.failure = failure(outcome, message: inner, body: body, output: raw.output, phase: phase)
            } else {
                result.failure = failure(outcome, message: message, body: body, output: raw.output, phase: nil)
            }
        }
        return result
    }

    private func failure(
        _ outcome: RawOutcome,
        message: String,
        body: String,
        output: BoundedText,
        phase: TestPhase?
    ) -> TestFailure {
        var line = FailureText.firstLine(message)
        if line.isEmpty { line = FailureText.firstLine(body) }
        let type =
            outcome.type.flatMap { $0.isEmpty ? nil : $0 } ?? FailureText.exceptionType(fromMessage: line)
            ?? FailureText.exceptionType(fromTraceback: body)
        var details = body
        if !output.isEmpty {
            details += (details.isEmpty ? "" : "\n\n") + "--- captured output ---\n" + output.text
        }
        return TestFailure(type: type, message: line, details: details.bounded(to: detailLimit), phase: phase)
    }

    /// The file and id of a test case (see the type's documentation for the order of attempts).
    private func locate(
        _ raw: RawTestCase,
        classname: String,
        name: String,
        collectionLevel: Bool,
        dropOuterSuite: Bool
    ) -> (file: String, id: String) {
        if let attribute = raw.attributes["file"], !attribute.isEmpty {
            let file = resolver.resolve(path: attribute)
            if collectionLevel || (classname.isEmpty && TestFileResolver.module(ofPath: attribute) == name) {
                return (file, file)
            }
            let classes = classParts(classname, rawFile: attribute, file: file)
            return (file, Self.join(file, classes + [name]))
        }
        let dotted = collectionLevel || classname.isEmpty ? name : classname
        if let (file, rest) = resolver.resolve(dotted: dotted)
            ?? (dialect == .pytest ? resolver.guessPythonPath(dotted: dotted) : nil)
        {
            if collectionLevel || classname.isEmpty {
                if rest.isEmpty { return (file, file) }
            } else {
                return (file, Self.join(file, rest + [name]))
            }
        }
        let suites = dropOuterSuite ? Array(raw.suites.dropFirst()) : raw.suites
        let parts = (classname.isEmpty ? [] : [classname]) + suites.filter { !$0.isEmpty } + [name]
        if let defaultFile { return (defaultFile, Self.join(defaultFile, parts)) }
        return ("", parts.joined(separator: WorkItem.separator))
    }

    private static func isCollectionMessage(_ message: String) -> Bool {
        message == "collection failure" || message == "collection skipped" || message.hasPrefix("collection failure: ")
    }

    /// The class path inside a file: what follows the file's dotted module in `classname`.
    private func classParts(_ classname: String, rawFile: String, file: String) -> [String] {
        if classname.isEmpty { return [] }
        for module in [TestFileResolver.module(ofPath: rawFile), TestFileResolver.module(ofPath: file)] {
            if classname == module { return [] }
            if classname.hasPrefix(module + ".") {
                return classname.dropFirst(module.count + 1).split(separator: ".").map(String.init)
            }
            // A junit_prefix or an unusual rootdir puts something before the module.
            if let range = classname.range(of: "." + module + ".") {
                return classname[range.upperBound...].split(separator: ".").map(String.init)
            }
            if classname.hasSuffix("." + module) { return [] }
        }
        return [classname]
    }

    private static func join(_ file: String, _ parts: [String]) -> String {
        ([file] + parts).joined(separator: WorkItem.separator)
    }

    private static func seconds(_ text: String?) -> Double {
        guard let text else { return 0 }
        // Some runners group thousands ("1,234.5").
        guard let value = Double(text) ?? Double(text.filter { $0 != "," }), value.isFinite, value >= 0 else {
            return 0
        }
        return value
    }

    /// Two test cases with one id: pytest reports a teardown error after a failed call as a second
    /// test case. The first failure stays the failure (it is the cause); the second is appended to
    /// its details; a passed or skipped entry yields to a failing one.
    private static func merge(_ first: TestCaseResult, _ second: TestCaseResult, detailLimit: Int) -> TestCaseResult {
        var merged = first
        merged.duration = first.duration + second.duration
        guard second.status.isFailure, let later = second.failure else { return merged }
        guard first.status.isFailure, var failure = first.failure else {
            merged.status = second.status
            merged.failure = later
            merged.skipReason = nil
            return merged
        }
        let phase = later.phase.map { " in \($0.rawValue)" } ?? ""
        failure.details = (failure.details + "\n\n--- then\(phase): \(later.message) ---\n" + later.details)
            .bounded(to: detailLimit)
        merged.failure = failure
        return merged
    }
}
