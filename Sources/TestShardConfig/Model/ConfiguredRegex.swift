import Foundation

/// A regular expression from the config (ICU syntax, as `NSRegularExpression` reads it), compiled once
/// when the config loads so a bad pattern is reported at startup, not in the middle of a report.
///
/// Two values are equal when their patterns are; the compiled form is derived from the pattern.
public struct ConfiguredRegex: Hashable, CustomStringConvertible, @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable and documented thread-safe, but
    // swift-corelibs-foundation does not mark it Sendable.

    /// The pattern as written in the config.
    public let pattern: String
    /// The compiled expression.
    public let expression: NSRegularExpression

    /// A pattern that does not compile.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The pattern as written.
        public let pattern: String
        /// What the regex engine said.
        public let reason: String
        public var description: String { "bad regular expression \"\(pattern)\": \(reason)" }
    }

    /// Compiles `pattern`, or throws `ParseError`.
    public init(_ pattern: String) throws(ParseError) {
        do {
            self.expression = try NSRegularExpression(pattern: pattern)
        } catch {
            throw ParseError(pattern: pattern, reason: Self.reason(for: pattern))
        }
        self.pattern = pattern
    }

    /// The number of capture groups in the pattern.
    public var captureGroupCount: Int { expression.numberOfCaptureGroups }

    /// Whether the pattern matches somewhere in `text`.
    public func occurs(in text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, range: range) != nil
    }

    /// Whether the pattern matches all of `text`.
    public func matchesEntirely(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = expression.firstMatch(in: text, options: [.anchored], range: range) else { return false }
        return match.range == range
    }

    public var description: String { pattern }

    public static func == (lhs: ConfiguredRegex, rhs: ConfiguredRegex) -> Bool { lhs.pattern == rhs.pattern }

    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    private static func reason(for pattern: String) -> String {
        // Foundation only says "The operation could not be completed"; Swift's own regex parser (same
        // syntax family as ICU for what people write in configs) says what and where.
        if pattern.contains("(?P<") {
            return "Python's (?P<name>...) groups are written (?<name>...) here"
        }
        do {
            _ = try Regex(pattern)
        } catch {
            return "\(error)"
        }
        return "ICU cannot compile it"
    }
}
