import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A `<failure>`, `<error>` or `<skipped>` child of a test case, as written.
struct RawOutcome: Sendable {
    enum Kind: Sendable {
        case failure
        case error
        case skipped
    }

    var kind: Kind
    var message: String?
    var type: String?
    var body: BoundedText
}

/// One `<testcase>` element, as written: nothing interpreted yet.
struct RawTestCase: Sendable {
    var attributes: [String: String]
    /// Names of the enclosing `<testsuite>` elements, outermost first.
    var suites: [String]
    var outcomes: [RawOutcome]
    /// The test case's own `<system-out>` and `<system-err>`.
    var output: BoundedText
}

/// What the SAX pass saw: the complete test cases and enough structure to judge completeness.
struct RawDocument: Sendable {
    var testCases: [RawTestCase] = []
    var rootName: String? = nil
    /// Whether the root element's end tag was seen.
    var rootClosed = false
    /// Whether `<testcase>` elements sit directly under a `<testsuites>` root (node:test does this;
    /// then every `<testsuite>` is a `describe` block rather than a report-level wrapper).
    var rootHasDirectTestCases = false
    /// Elements still open when the parser stopped.
    var openElements = 0
    var parseFailed = false
    var errorDescription: String? = nil
    var errorLine = 0
    var errorColumn = 0
    /// Set when the document was not parsed at all, with the reason.
    var refusal: String? = nil
}

/// Runs FoundationXML's `XMLParser` over a JUnit document and collects `RawTestCase`s.
///
/// Only text inside `<failure>`, `<error>`, `<skipped>`, `<system-out>` and `<system-err>` that
/// belong directly to a test case is kept, each bounded by `BoundedText`; everything else (suite
/// properties, Surefire's `<flakyFailure>` children, comments) is skipped without being stored.
final class JUnitDocumentParser: NSObject, XMLParserDelegate {
    private enum Capture {
        case none
        case outcome
        case output
    }

    private let detailLimit: Int
    private var document = RawDocument()
    private var stack: [String] = []
    private var suiteNames: [String] = []
    private var current: RawTestCase? = nil
    /// Depth of the `<testcase>` element being read, so a nested one is ignored rather than
    /// corrupting the outer one.
    private var testCaseDepth = 0
    private var outcome: RawOutcome? = nil
    private var capture = Capture.none
    private var captureDepth = 0

    private init(detailLimit: Int) {
        self.detailLimit = detailLimit
    }

    /// Parses `data`; never throws: problems are recorded in the returned document.
    static func parse(_ data: Data, detailLimit: Int) -> RawDocument {
        let delegate = JUnitDocumentParser(detailLimit: detailLimit)
        let prepared: Data
        switch prepare(data) {
        case .success(let safe):
            prepared = safe
        case .failure(let refusal):
            var document = RawDocument()
            document.parseFailed = true
            document.refusal = refusal.reason
            return document
        }
        let parser = XMLParser(data: prepared)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = delegate
        let succeeded = parser.parse()
        var document = delegate.document
        document.openElements = delegate.stack.count
        if !succeeded || parser.parserError != nil {
            document.parseFailed = true
            if document.errorDescription == nil, let error = parser.parserError {
                document.errorDescription = Self.describe(error)
            }
            document.errorLine = parser.lineNumber
            document.errorColumn = parser.columnNumber
        }
        return document
    }

    /// The document made safe for FoundationXML, or why it cannot be.
    ///
    /// FoundationXML's SAX glue force-unwraps strings it gets from libxml2 (which it runs in recover
    /// mode), so some inputs trap the whole process instead of failing the parse. Runner output can
    /// hold any bytes, so before parsing:
    /// 1. bytes are decoded leniently (invalid UTF-8 becomes U+FFFD, UTF-16 with a BOM is converted):
    ///    a name with invalid UTF-8 traps;
    /// 2. the XML declaration is rewritten to say UTF-8, so libxml2 does not re-decode the bytes;
    /// 3. a processing instruction without data (`<?x?>`) gets one: its NULL data traps;
    /// 4. a DOCTYPE is refused: no runner writes one, and entity declarations are the way to make
    ///    an XML parser expand a few bytes into gigabytes.
    static func prepare(_ data: Data) -> Result<Data, PreparationError> {
        var text: String
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) {
            text = String(data: data, encoding: .utf16) ?? String(decoding: data, as: UTF8.self)
        } else if let valid = String(validating: data, as: UTF8.self) {
            text = valid
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>"),
            text.distance(from: text.startIndex, to: end.lowerBound) < 300
        {
            text.replaceSubrange(text.startIndex..<end.upperBound, with: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        }
        if prologDeclaresDoctype(text) {
            return .failure(PreparationError(reason: "the document has a DOCTYPE, which JUnit files never need"))
        }
        return .success(Data(givingEveryProcessingInstructionData(text)))
    }

    /// Why a document was not handed to the parser.
    struct PreparationError: Error {
        var reason: String
    }

    /// Whether a `<!DOCTYPE` comes before the root element (after it, it can only be text in CDATA).
    private static func prologDeclaresDoctype(_ text: String) -> Bool {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let tail = rest[open...]
            if tail.hasPrefix("<?") {
                guard let end = tail.range(of: "?>") else { return false }
                rest = tail[end.upperBound...]
            } else if tail.hasPrefix("<!--") {
                guard let end = tail.range(of: "-->") else { return false }
                rest = tail[end.upperBound...]
            } else {
                return tail.prefix(9).uppercased() == "<!DOCTYPE"
            }
        }
        return false
    }

    /// `<?target?>` → `<?target _?>`; other bytes unchanged. A byte scan: documents are megabytes.
    private static func givingEveryProcessingInstructionData(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        let open = UInt8(ascii: "<")
        let question = UInt8(ascii: "?")
        let close = UInt8(ascii: ">")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            out.append(byte)
            index += 1
            guard byte == open, index < bytes.count, bytes[index] == question else { continue }
            out.append(question)
            index += 1
            // The target runs up to white space, '?', '<' or '>'.
            while index < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, question, open, close].contains(bytes[index]) {
                out.append(bytes[index])
                index += 1
            }
            if index + 1 < bytes.count, bytes[index] == question, bytes[index + 1] == close {
                out.append(contentsOf: Array(" _".utf8))
            }
        }
        return out
    }

    private static func describe(_ error: any Error) -> String {
        let code = (error as NSError).code
        if let known = XMLParser.ErrorCode(rawValue: code) {
            return "XML parser error \(code) (\(String(describing: known)))"
        }
        return "XML parser error \(code)"
    }

    // MARK: - XMLParserDelegate

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        if stack.isEmpty {
            if document.rootName == nil { document.rootName = elementName }
        }
        let parent = stack.last
        stack.append(elementName)
        let directChildOfTestCase = current != nil && stack.count == testCaseDepth + 1
        switch elementName {
        case "testsuite" where current == nil:
            suiteNames.append(attributeDict["name"] ?? "")
        case "testcase" where current == nil:
            if stack.count == 2 && parent == "testsuites" { document.rootHasDirectTestCases = true }
            current = RawTestCase(
                attributes: attributeDict,
                suites: suiteNames,
                outcomes: [],
                output: BoundedText(limit: detailLimit)
            )
            testCaseDepth = stack.count
        case "failure", "error", "skipped":
            guard directChildOfTestCase else { break }
            let kind: RawOutcome.Kind =
                switch elementName {
                case "failure": .failure
                case "error": .error
                default: .skipped
                }
            outcome = RawOutcome(
                kind: kind,
                message: attributeDict["message"],
                type: attributeDict["type"],
                body: BoundedText(limit: detailLimit)
            )
            capture = .outcome
            captureDepth = stack.count
        case "system-out", "system-err":
            guard directChildOfTestCase else { break }
            capture = .output
            captureDepth = stack.count
        default:
            break
        }
    }

    func parser(
        _ parser: XMLParser,
        didEndElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        let depth = stack.count
        if !stack.isEmpty { stack.removeLast() }
        if stack.isEmpty { document.rootClosed = true }
        if capture != .none && depth == captureDepth {
            if capture == .outcome, let finished = outcome {
                current?.outcomes.append(finished)
            }
            outcome = nil
            capture = .none
        }
        if elementName == "testcase" && depth == testCaseDepth, let finished = current {
            document.testCases.append(finished)
            current = nil
            testCaseDepth = 0
        } else if elementName == "testsuite" && current == nil && !suiteNames.isEmpty {
            suiteNames.removeLast()
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        append(string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        append(String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if document.errorDescription == nil { document.errorDescription = Self.describe(parseError) }
    }

    private func append(_ text: String) {
        switch capture {
        case .none: return
        case .outcome: outcome?.body.append(text)
        case .output: current?.output.append(text)
        }
    }
}
