import Foundation
import TestShardModel

/// Step 0 of `reason-v1`: from one failed test attempt, the text to normalize (the crash message
/// `ExceptionType: message`), its exception type, the phase, and the crash location
/// (`path::function`, never the line number).
///
/// Understands pytest's JUnit quirks: setup/teardown errors arrive as
/// `failed on setup with "RuntimeError: …"`, collection errors as `collection failure` with the
/// exception on an `E   ` line of the details, and assertion messages without their type.
public struct FailureText: Sendable, Hashable {
    /// The one-line message the signature is computed from.
    public var message: String
    /// The exception type: given by the runner, read from the message, or `AssertionError` for a
    /// bare `assert …`.
    public var exceptionType: String?
    public var phase: TestPhase
    /// `path::function` of the crash, for the generic-signature guard.
    public var crashLocation: String

    /// Chooses the text for a failed attempt of `result` (whose `failure` may be `nil`).
    public init(result: TestCaseResult, repoRoots: [String] = []) {
        let failure = result.failure
        let details = failure?.details ?? ""
        var message = (failure?.message ?? "").trimmed
        var phase = failure?.phase

        // pytest: `failed on setup with "RuntimeError: …"`.
        for (wrapperPhase, prefix) in [
            (TestPhase.setup, "failed on setup with \""), (.teardown, "failed on teardown with \""),
        ]
        where message.hasPrefix(prefix) && message.hasSuffix("\"") && message.count > prefix.count {
            if phase == nil { phase = wrapperPhase }
            message = String(message.dropFirst(prefix.count).dropLast())
        }
        if message == "collection failure" || message.hasPrefix("collection failure") {
            if phase == nil { phase = .collection }
            message = Self.exceptionLine(in: details) ?? message
        }
        if message.isEmpty { message = Self.exceptionLine(in: details) ?? Self.lastLine(of: details) ?? "" }
        if let first = message.split(separator: "\n", omittingEmptySubsequences: true).first,
            message.contains("\n")
        {
            // Multi-line messages (pytest `assert` explanations): the first line is the crash line;
            // the rest is the explanation, kept in the raw text for display.
            message = first.trimmed
        }

        var type = failure?.type?.trimmed
        if type?.isEmpty ?? true { type = nil }
        let typeInMessage = Self.typeInMessage(message)
        if let given = type, typeInMessage == nil, !message.isEmpty, given != "AssertionError",
            !message.hasPrefix("assert ")
        {
            // A runner that reports the type apart (JUnit `type=`): show it the way Python prints it.
            let short = given.split(separator: ".").last.map(String.init) ?? given
            if !message.hasPrefix(short) { message = short + ": " + message }
        }
        type = type ?? typeInMessage ?? (message.hasPrefix("assert ") || message == "assert" ? "AssertionError" : nil)

        self.message = message
        self.exceptionType = type
        self.phase = phase ?? (result.status == .error ? .setup : .call)
        self.crashLocation =
            Self.crashLocation(in: details, repoRoots: repoRoots)
            ?? result.file + "::" + Self.functionName(result.name)
    }

    // MARK: - Parsing helpers

    private static let eLine = constantRegex(
        #"^E\s+([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Failure|Failed)\b.*)$"#,
        [.anchorsMatchLines]
    )

    private static let typeSuffixes = [
        "Error", "Exception", "Exit", "Interrupt", "Warning", "Failure", "Failed", "Timeout",
    ]

    /// The exception type a message starts with (`RuntimeError: …`, `pkg.CustomError`), if any:
    /// a dotted identifier ending in Error, Exception, …, followed by `: ` or the end.
    static func typeInMessage(_ message: String) -> String? {
        let name = message.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }
        guard let first = name.first, first.isLetter || first == "_" else { return nil }
        let rest = message[name.endIndex...]
        guard rest.isEmpty || rest == ":" || rest.hasPrefix(": ") || rest.hasPrefix(":\t") else { return nil }
        guard typeSuffixes.contains(where: { name.hasSuffix($0) }) else { return nil }
        return String(name)
    }

    /// The last `E   SomeError: …` line of a pytest long report.
    static func exceptionLine(in details: String) -> String? {
        let ns = details as NSString
        guard let match = eLine.matches(in: details, range: NSRange(location: 0, length: ns.length)).last else {
            return nil
        }
        return ns.substring(with: match.range(at: 1)).trimmed
    }

    private static func lastLine(of text: String) -> String? {
        text.split(separator: "\n").last { !$0.trimmed.isEmpty }.map(\.trimmed)
    }

    /// `path::function` from pytest's long report: the last `path.py:LINE: Type` line, and the
    /// nearest `def name(` above it. Works on UTF-8 bytes: it runs for every failed attempt.
    static func crashLocation(in details: String, repoRoots: [String]) -> String? {
        guard !details.isEmpty else { return nil }
        let bytes = Array(details.utf8)
        var lines: [Range<Int>] = []
        var lineStart = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(lineStart..<index)
            lineStart = index + 1
        }
        lines.append(lineStart..<bytes.count)
        guard let crash = lines.lastIndex(where: { locationPathEnd(bytes[$0]) != nil }),
            let pathEnd = locationPathEnd(bytes[lines[crash]])
        else { return nil }
        var path = String(decoding: bytes[lines[crash].lowerBound..<pathEnd], as: UTF8.self)
        for root in repoRoots where !root.isEmpty && path.hasPrefix(root) {
            path = String(path.dropFirst(root.count).drop { $0 == "/" })
        }
        var function = "?"
        for line in lines[..<crash].reversed() {
            if let name = definedFunction(bytes[line]) {
                function = name
                break
            }
        }
        return path + "::" + function
    }

    /// Where the path ends when `line` is `path.py:LINE: …` (pytest's crash line), else `nil`.
    private static func locationPathEnd(_ line: ArraySlice<UInt8>) -> Int? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon - line.startIndex >= 4 else { return nil }
        let path = line[line.startIndex..<colon]
        guard path.suffix(3).elementsEqual(".py".utf8), !path.contains(UInt8(ascii: " ")), !path.contains(9) else {
            return nil
        }
        var index = colon + 1
        while index < line.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[index]) { index += 1 }
        guard index > colon + 1, index + 1 < line.endIndex, line[index] == UInt8(ascii: ":"),
            line[index + 1] == UInt8(ascii: " ")
        else { return nil }
        return colon
    }

    /// `name` when `line` is `def name(` or `async def name(` (after indentation), else `nil`.
    private static func definedFunction(_ line: ArraySlice<UInt8>) -> String? {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == 9 }
        func isWord(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
        }
        var rest = line.drop(while: isBlank)
        if rest.starts(with: "async ".utf8) { rest = rest.dropFirst(6).drop(while: isBlank) }
        guard rest.starts(with: "def ".utf8) else { return nil }
        rest = rest.dropFirst(4).drop(while: isBlank)
        let name = rest.prefix(while: isWord)
        guard !name.isEmpty, rest.dropFirst(name.count).drop(while: isBlank).first == UInt8(ascii: "(") else {
            return nil
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// A test name without its parametrization: `test_sum[1-2]` → `test_sum`.
    static func functionName(_ name: String) -> String {
        guard let bracket = name.firstIndex(of: "[") else { return name }
        return String(name[..<bracket])
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace and newlines (no Foundation bridging).
    var trimmed: String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}
