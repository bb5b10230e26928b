import TestShardModel

/// How pytest (and other runners) spell failures, turned into `TestFailure` fields. Shared with the
/// worker, which reads the same texts from its pytest progress log.
///
/// pytest's conventions, checked against pytest 9 output:
/// - `<failure message="AssertionError: msg&#10;assert 1 == 2">` and a body that ends with the
///   crash line `tests/test_a.py:8: AssertionError`;
/// - `<error message="failed on setup with &quot;RuntimeError: …&quot;">` (also `teardown`);
/// - `<error message="collection failure">` whose body holds the traceback, exception lines
///   marked `E   `;
/// - `<skipped type="pytest.xfail" message="reason">` for expected failures, and
///   `<skipped message="collection skipped">('/abs/path.py', 2, 'Skipped: reason')</skipped>`.
public enum FailureText {
    /// The longest one-line message kept.
    public static let messageLimit = 1000

    /// The first non-blank line, trimmed and bounded.
    public static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        return String(line.trimmingWhitespace()).bounded(to: messageLimit)
    }

    /// `(phase, inner message)` for pytest's `failed on setup with "…"` / `failed on teardown with "…"`.
    public static func pytestPhaseError(_ message: String) -> (TestPhase, String)? {
        for (word, phase) in [("setup", TestPhase.setup), ("teardown", .teardown), ("call", .call)] {
            let opening = "failed on \(word) with \""
            guard message.hasPrefix(opening) else { continue }
            var inner = message.dropFirst(opening.count)
            if inner.hasSuffix("\"") { inner = inner.dropLast() }
            return (phase, String(inner))
        }
        return nil
    }

    /// `RuntimeError` for `RuntimeError: boom` or `pkg.mod.Error: x`; `nil` for `assert x == y`.
    public static func exceptionType(fromMessage message: String) -> String? {
        guard let colon = message.firstIndex(of: ":") else { return nil }
        let name = message[..<colon]
        let after = message[message.index(after: colon)...]
        guard after.isEmpty || after.first == " ", isDottedIdentifier(name) else { return nil }
        return String(name)
    }

    /// The exception type from pytest's last traceback line, `tests/test_a.py:8: AssertionError`.
    public static func exceptionType(fromTraceback body: String) -> String? {
        guard let last = body.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) })
        else { return nil }
        let line = last.trimmingWhitespace()
        guard let space = line.lastIndex(of: " "), line[..<space].hasSuffix(":") else { return nil }
        let location = line[..<line.index(before: space)]
        guard let colon = location.lastIndex(of: ":"), !location[location.index(after: colon)...].isEmpty,
            location[location.index(after: colon)...].allSatisfy(\.isNumber)
        else { return nil }
        let name = line[line.index(after: space)...]
        return isDottedIdentifier(name) ? String(name) : nil
    }

    /// The exception line of a pytest traceback: the last `E   Type: message` line, else the first
    /// `E` line (`E   assert 0`).
    public static func exceptionLine(fromTraceback body: String) -> String? {
        let marked = body.split(whereSeparator: \.isNewline).compactMap { line -> Substring? in
            guard line.hasPrefix("E ") else { return nil }
            let text = line.dropFirst().trimmingWhitespace()
            return text.isEmpty ? nil : text
        }
        if let typed = marked.last(where: { exceptionType(fromMessage: String($0)) != nil }) {
            return String(typed).bounded(to: messageLimit)
        }
        return marked.first.map { String($0).bounded(to: messageLimit) }
    }

    /// The reason in pytest's `('/abs/path.py', 2, 'Skipped: reason')` body of a collection skip.
    public static func collectionSkipReason(_ body: String) -> String? {
        let text = body.trimmingWhitespace()
        guard text.hasPrefix("("), text.hasSuffix(")") else { return nil }
        let inner = text.dropFirst().dropLast()
        guard let comma = inner.lastIndex(of: ",") else { return nil }
        var reason = inner[inner.index(after: comma)...].trimmingWhitespace()
        if let quote = reason.first, quote == "'" || quote == "\"", reason.count >= 2, reason.last == quote {
            reason = reason.dropFirst().dropLast()
        }
        if reason.hasPrefix("Skipped: ") { reason = reason.dropFirst("Skipped: ".count) }
        return reason.isEmpty ? nil : String(reason)
    }

    /// `text` cut to at most `limit` UTF-8 bytes, keeping its head and tail with a marker between.
    public static func bounded(_ text: String, to limit: Int) -> String {
        text.bounded(to: limit)
    }

    private static func isDottedIdentifier(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 200 else { return false }
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard let first = part.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
            guard part.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else { return false }
        }
        return true
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> SubSequence {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return self[first...last]
    }
}
