import Foundation

/// The suite's test command, split into words the way a POSIX shell would split it (quotes and
/// backslashes, no variable or glob expansion), with TestShard's placeholders:
///
/// | placeholder    | becomes                                                            |
/// |----------------|--------------------------------------------------------------------|
/// | `{files}`      | the shard's items, one argument each (must be a whole word)        |
/// | `{items_file}` | the path of a file holding the items, one per line                 |
/// | `{junit}`      | the path the runner must write its JUnit XML to                    |
/// | `{options}`    | a profile's extra options (whole word; without it they go just     |
/// |                | before the word that holds `{files}` or `{items_file}`)            |
///
/// The command runs directly (no shell), so an item can never inject shell syntax.
public struct CommandTemplate: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The command as written in the config.
    public let text: String
    /// The words after splitting, placeholders still in them.
    public let words: [String]

    /// A command that cannot be used.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let command: String
        public let reason: String
        public var description: String { "command \"\(command)\": \(reason)" }
    }

    public static let placeholders = ["{files}", "{items_file}", "{junit}", "{options}"]

    /// Splits and checks `text`; throws when quotes are unbalanced, a placeholder is unknown or
    /// misplaced, or the command has neither `{files}` nor `{items_file}`.
    public init(_ text: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(command: text, reason: reason) }
        self.text = text
        self.words = try Self.split(text, fail: fail)
        guard let first = words.first, !first.isEmpty else { throw fail("the command is empty") }
        if first.contains("{") { throw fail("the program name cannot be a placeholder") }
        var sawSelection = false
        for word in words {
            var rest = Substring(word)
            while let open = rest.firstIndex(of: "{") {
                guard let close = rest[open...].firstIndex(of: "}") else { break }
                let token = String(rest[open...close])
                if token.dropFirst().dropLast().allSatisfy({ $0.isLetter || $0 == "_" }) {
                    guard Self.placeholders.contains(token) else {
                        throw fail("unknown placeholder \(token); known: \(Self.placeholders.joined(separator: ", "))")
                    }
                    if (token == "{files}" || token == "{options}") && word != token {
                        throw fail("\(token) must be a word of its own (it expands to several arguments)")
                    }
                    if token == "{files}" || token == "{items_file}" { sawSelection = true }
                }
                rest = rest[rest.index(after: close)...]
            }
        }
        if !sawSelection {
            throw fail("it must contain {files} (the shard's items as arguments) or {items_file} (a file listing them)")
        }
    }

    public var description: String { text }

    /// Whether the command takes the items from a file rather than as arguments.
    public var usesItemsFile: Bool { words.contains { $0.contains("{items_file}") } }

    /// The argument vector for one shard.
    public func expand(items: [String], junitPath: String, itemsFile: String, options: [String] = []) -> [String] {
        let hasOptionsWord = words.contains("{options}")
        var out: [String] = []
        for word in words {
            if word == "{options}" {
                out.append(contentsOf: options)
                continue
            }
            let selects = word == "{files}" || word.contains("{items_file}")
            if selects && !hasOptionsWord { out.append(contentsOf: options) }
            if word == "{files}" {
                out.append(contentsOf: items)
                continue
            }
            out.append(
                word.replacingAll("{junit}", with: junitPath).replacingAll("{items_file}", with: itemsFile)
            )
        }
        return out
    }

    // MARK: - Splitting

    private static func split(_ text: String, fail: (String) -> ParseError) throws(ParseError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            switch c {
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let q = iterator.next() {
                    if q == "'" {
                        closed = true
                        break
                    }
                    current.append(q)
                }
                if !closed { throw fail("a single quote is not closed") }
            case "\"":
                inWord = true
                var closed = false
                while let q = iterator.next() {
                    if q == "\"" {
                        closed = true
                        break
                    }
                    if q == "\\" {
                        guard let escaped = iterator.next() else { break }
                        if escaped != "\"" && escaped != "\\" && escaped != "$" && escaped != "`" {
                            current.append("\\")
                        }
                        current.append(escaped)
                        continue
                    }
                    current.append(q)
                }
                if !closed { throw fail("a double quote is not closed") }
            case "\\":
                guard let escaped = iterator.next() else { throw fail("a trailing backslash escapes nothing") }
                current.append(escaped)
                inWord = true
            default:
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
