/// A path pattern as used in `include`, `exclude`, area and category globs.
///
/// Patterns match paths relative to the suite root, with `/` between segments:
///
/// | syntax   | matches                                                       |
/// |----------|---------------------------------------------------------------|
/// | `*`      | any run of characters inside one segment (not `/`)            |
/// | `?`      | one character other than `/`                                  |
/// | `[abc]`  | one of the listed characters; `[a-z]` ranges; `[!a]` negation |
/// | `{a,b}`  | either alternative (no nesting)                               |
/// | `**`     | as a whole segment: zero or more segments                     |
///
/// A pattern is checked when it is built, so a bad glob is reported once, with what was wrong,
/// rather than silently matching nothing.
public struct Glob: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let alternatives: [[Segment]]

    /// A pattern that could not be understood.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let pattern: String
        public let reason: String
        public var description: String { "bad glob \"\(pattern)\": \(reason)" }
    }

    private enum Token: Hashable, Sendable {
        case literal(Unicode.Scalar)
        case anyRun
        case anyOne
        case set(negated: Bool, ranges: [ClosedRange<Unicode.Scalar>])
    }

    private enum Segment: Hashable, Sendable {
        case globstar
        case tokens([Token])
    }

    /// Parses `pattern`, or throws `ParseError` naming the problem.
    public init(_ pattern: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(pattern: pattern, reason: reason) }
        if pattern.isEmpty { throw fail("the pattern is empty") }
        if pattern.hasPrefix("/") { throw fail("patterns are relative to the suite root; remove the leading '/'") }
        self.pattern = pattern
        var parsed: [[Segment]] = []
        for expanded in try Self.expandBraces(pattern, fail: fail) {
            var segments: [Segment] = []
            for part in expanded.split(separator: "/", omittingEmptySubsequences: false) {
                if part.isEmpty { throw fail("empty path segment ('//' or a trailing '/')") }
                if part == "**" {
                    if segments.last != .globstar { segments.append(.globstar) }
                    continue
                }
                if part.contains("**") { throw fail("'**' must be a whole path segment, as in 'tests/**/test_*.py'") }
                if part == "." || part == ".." { throw fail("'\(part)' segments are not allowed") }
                segments.append(.tokens(try Self.tokens(Substring(part), fail: fail)))
            }
            parsed.append(segments)
        }
        self.alternatives = parsed
    }

    public var description: String { pattern }

    /// Whether `path` (relative, `/`-separated) matches the pattern.
    public func matches(_ path: String) -> Bool {
        // One scalar array and one list of segment ranges per call: inventories match thousands of
        // paths against every pattern, so nothing is allocated per segment or per token.
        let scalars = Array(path.unicodeScalars)
        var parts: [Range<Int>] = []
        var start = 0
        for (index, scalar) in scalars.enumerated() where scalar == "/" {
            if index > start { parts.append(start..<index) }
            start = index + 1
        }
        if scalars.count > start { parts.append(start..<scalars.count) }
        return alternatives.contains { Self.match(segments: $0[...], parts: parts[...], in: scalars) }
    }

    /// The longest leading folder with no wildcard, e.g. `tests/api` for `tests/api/**/test_*.py`;
    /// empty when the pattern starts with a wildcard. Used to walk only what can match.
    public var literalPrefixes: [String] {
        alternatives.map { segments in
            var folders: [String] = []
            for segment in segments.dropLast() {
                guard case .tokens(let tokens) = segment else { break }
                var literal = String.UnicodeScalarView()
                for token in tokens {
                    guard case .literal(let c) = token else { return folders.joined(separator: "/") }
                    literal.append(c)
                }
                folders.append(String(literal))
            }
            return folders.joined(separator: "/")
        }
    }

    // MARK: - Matching

    private static func match(
        segments: ArraySlice<Segment>,
        parts: ArraySlice<Range<Int>>,
        in scalars: [Unicode.Scalar]
    ) -> Bool {
        guard let first = segments.first else { return parts.isEmpty }
        switch first {
        case .globstar:
            let rest = segments.dropFirst()
            if rest.isEmpty { return true }
            var tail = parts
            while true {
                if match(segments: rest, parts: tail, in: scalars) { return true }
                if tail.isEmpty { return false }
                tail = tail.dropFirst()
            }
        case .tokens(let tokens):
            guard let part = parts.first, matchSegment(tokens, scalars, part) else { return false }
            return match(segments: segments.dropFirst(), parts: parts.dropFirst(), in: scalars)
        }
    }

    private static func matchSegment(_ tokens: [Token], _ scalars: [Unicode.Scalar], _ part: Range<Int>) -> Bool {
        // Iterative wildcard matching with one backtrack point (the classic star algorithm).
        var t = 0
        var c = part.lowerBound
        var starToken: Int? = nil
        var starChar = c
        while c < part.upperBound {
            if t < tokens.count {
                switch tokens[t] {
                case .anyRun:
                    starToken = t
                    starChar = c
                    t += 1
                    continue
                case .anyOne:
                    t += 1
                    c += 1
                    continue
                case .literal(let l) where l == scalars[c]:
                    t += 1
                    c += 1
                    continue
                case .set(let negated, let ranges) where ranges.contains(where: { $0.contains(scalars[c]) }) != negated:
                    t += 1
                    c += 1
                    continue
                default:
                    break
                }
            }
            guard let star = starToken else { return false }
            t = star + 1
            starChar += 1
            c = starChar
        }
        while t < tokens.count, tokens[t] == .anyRun { t += 1 }
        return t == tokens.count
    }

    // MARK: - Parsing

    private static func expandBraces(_ pattern: String, fail: (String) -> ParseError) throws(ParseError) -> [String] {
        guard let open = pattern.firstIndex(of: "{") else {
            if pattern.contains("}") { throw fail("'}' without a matching '{'") }
            return [pattern]
        }
        guard let close = pattern[open...].firstIndex(of: "}") else { throw fail("'{' without a matching '}'") }
        let inner = pattern[pattern.index(after: open)..<close]
        if inner.contains("{") { throw fail("nested '{' is not supported") }
        let head = pattern[..<open]
        let tail = String(pattern[pattern.index(after: close)...])
        var out: [String] = []
        for tailExpansion in try expandBraces(tail, fail: fail) {
            for option in inner.split(separator: ",", omittingEmptySubsequences: false) {
                out.append(head + option + tailExpansion)
            }
        }
        return out
    }

    private static func tokens(_ text: Substring, fail: (String) -> ParseError) throws(ParseError) -> [Token] {
        let part = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        while i < part.count {
            let c = part[i]
            switch c {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case "?":
                tokens.append(.anyOne)
            case "[":
                var j = i + 1
                var negated = false
                if j < part.count, part[j] == "!" || part[j] == "^" {
                    negated = true
                    j += 1
                }
                var ranges: [ClosedRange<Unicode.Scalar>] = []
                var first = true
                while j < part.count, part[j] != "]" || first {
                    first = false
                    let low = part[j]
                    if j + 2 < part.count, part[j + 1] == "-", part[j + 2] != "]" {
                        let high = part[j + 2]
                        guard low <= high else { throw fail("range '\(low)-\(high)' is reversed") }
                        ranges.append(low...high)
                        j += 3
                    } else {
                        ranges.append(low...low)
                        j += 1
                    }
                }
                guard j < part.count else { throw fail("'[' without a matching ']'") }
                tokens.append(.set(negated: negated, ranges: ranges))
                i = j
            case "]":
                throw fail("']' without a matching '['")
            case "\\":
                guard i + 1 < part.count else { throw fail("'\\' at the end of a segment escapes nothing") }
                tokens.append(.literal(part[i + 1]))
                i += 1
            default:
                tokens.append(.literal(c))
            }
            i += 1
        }
        return tokens
    }
}

/// A set of include and exclude patterns: a path is selected when it matches some include and no
/// exclude.
public struct GlobSet: Hashable, Sendable {
    public let include: [Glob]
    public let exclude: [Glob]

    public init(include: [Glob], exclude: [Glob] = []) {
        self.include = include
        self.exclude = exclude
    }

    public func matches(_ path: String) -> Bool {
        include.contains { $0.matches(path) } && !exclude.contains { $0.matches(path) }
    }
}
