/// Finds malformed TOML that crashes TOMLKit's parser (toml++ 3.4) instead of making it report an
/// error, so the text can be refused with a syntax error before it reaches the parser.
///
/// toml++ *assumes* (`assert` in debug builds, `__builtin_assume` — undefined behaviour — in release
/// builds) four things its callers do not check. All were found by fuzzing the parser with libFuzzer:
///
/// 1. After a statement-level `[` or `[[` (and blanks), a key starts: a bare-key character, a quote or
///    `]`. Anything else (`[[=`, ``[[` ``, `[.a]`, a `[` ending the line) crashes.
/// 2. At an array element position (after `[` or `,`, blanks, line breaks and comments) a value
///    starts: `}` or a Unicode line separator (U+0085, U+2028, U+2029) there crashes.
/// 3. A date-like value followed by a blank and a single digit (`2025-01-01 1`) is read on into a
///    date-time, and the scanner is then entered on a value terminator.
/// 4. A value starting `YYYY-MM-DDT` is a date-time, whose time part is assumed to start with a digit.
///
/// To know which `[` starts a header and where array elements start, this walks the document the way
/// toml++ does: statements, keys, values, strings of all four kinds, arrays, inline tables. Where toml++
/// is certain to stop with an error the walk stops too (the text is then toml++'s to report). Where the
/// walk is unsure it carries on, so it may flag a spot in text that is invalid anyway, but it never
/// passes text that would crash.
struct TOMLCrashGuard {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    /// Why the walk ended early.
    private enum Stop: Error {
        /// toml++ will report an error at or before this point: nothing further can crash it.
        case parserStops
        /// toml++ would crash at this offset; the reason reads as a parser message.
        case crash(Int, String)
    }

    /// toml++'s `TOML_MAX_NESTED_VALUES`: deeper nesting is an error there, and bounds recursion here.
    private static let maximumDepth = 256

    /// Where the crashing spot is (1-based line and column) and what was expected there, or `nil` when
    /// the text is safe to parse.
    static func firstCrash(in text: String) -> (line: Int, column: Int, reason: String)? {
        var walk = TOMLCrashGuard(scalars: Array(text.unicodeScalars))
        do {
            try walk.document()
            return nil
        } catch {
            guard case .crash(let offset, let reason) = error else { return nil }
            var line = 1
            var column = 1
            for scalar in walk.scalars[..<offset] {
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            return (line, column, reason)
        }
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    // MARK: Characters

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private static func isBareKey(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    private static func show(_ scalar: Unicode.Scalar) -> String {
        (0x21...0x7E).contains(scalar.value)
            ? "'\(scalar)'" : "U+" + String(scalar.value, radix: 16, uppercase: true)
    }

    private static func isQuote(_ scalar: Unicode.Scalar) -> Bool { scalar == "\"" || scalar == "'" }

    @discardableResult
    private mutating func skipBlanks() -> Bool {
        var skipped = false
        while let c = current, c == " " || c == "\t" {
            index += 1
            skipped = true
        }
        return skipped
    }

    /// Blanks, line breaks and comments, as between statements and array elements.
    private mutating func skipBlanksLinesAndComments() {
        while let c = current {
            switch c {
            case " ", "\t", "\n", "\r": index += 1
            case "#": while let c = current, c != "\n" { index += 1 }
            default: return
            }
        }
    }

    /// After a statement: blanks, then a comment, a line break or the end; anything else is an error.
    private mutating func endOfLine() throws(Stop) {
        skipBlanks()
        guard let c = current else { return }
        guard c == "#" || c == "\n" || c == "\r" else { throw .parserStops }
    }

    // MARK: Statements

    private mutating func document() throws(Stop) {
        if current == "\u{FEFF}" { index += 1 }  // toml++ skips a leading byte-order mark
        while true {
            skipBlanksLinesAndComments()
            guard let c = current else { return }
            if c == "[" {
                try header()
            } else if Self.isBareKey(c) || Self.isQuote(c) {
                try keyValue(depth: 0)
                try endOfLine()
            } else {
                throw .parserStops
            }
        }
    }

    /// Mirrors the start of toml++'s `parse_table_header`.
    private mutating func header() throws(Stop) {
        index += 1  // '['
        let blank = skipBlanks()
        if current == "[" {
            if blank { throw .parserStops }  // "[ [" is an error
            index += 1
            skipBlanks()
        }
        guard let c = current else { throw .parserStops }
        if c == "]" { throw .parserStops }  // "[]" is an error
        guard Self.isBareKey(c) || Self.isQuote(c) else {
            throw .crash(index, "expected a table name after '[', as in [suite] or [[area]], saw \(Self.show(c))")
        }
        try key()
        guard current == "]" else { throw .parserStops }
        index += 1
        if current == "]" { index += 1 }
        try endOfLine()
    }

    /// A dotted key: segments (bare or quoted) separated by dots, blanks allowed around the dots.
    private mutating func key() throws(Stop) {
        while true {
            guard let c = current else { throw .parserStops }
            if Self.isBareKey(c) {
                while let c = current, Self.isBareKey(c) { index += 1 }
            } else if Self.isQuote(c) {
                try string()
            } else {
                throw .parserStops
            }
            skipBlanks()
            guard current == "." else { return }
            index += 1
            skipBlanks()
        }
    }

    /// `key = value` (at statement level or inside an inline table).
    private mutating func keyValue(depth: Int) throws(Stop) {
        try key()
        guard current == "=" else { throw .parserStops }
        index += 1
        skipBlanks()
        // toml++ checks for a value terminator here itself; a blank line separator is checked by the
        // same test, so only a real value start goes on.
        guard let c = current, !Self.isValueTerminator(c) else { throw .parserStops }
        try value(depth: depth + 1)
    }

    // MARK: Values

    /// toml++'s `is_value_terminator`: its whitespace set (which is not Unicode's White_Space: it has
    /// U+180E, U+200B, U+2060 and U+FEFF), `]`, `}`, `,` and `#`.
    private static func isValueTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A...0x0D, 0x5D, 0x7D, 0x2C, 0x23: true
        case 0xA0, 0x1680, 0x180E, 0x2000...0x200B, 0x202F, 0x205F...0x2060, 0x3000, 0xFEFF: true
        case 0x85, 0x2028...0x2029: true
        default: false
        }
    }

    private mutating func value(depth: Int) throws(Stop) {
        guard depth <= Self.maximumDepth else { throw .parserStops }
        guard let c = current else { throw .parserStops }
        switch c {
        case "[":
            try array(depth: depth)
        case "{":
            try inlineTable(depth: depth)
        case "\"", "'":
            try string()
        default:
            try dateLikeWithBlank()
            try dateWithoutTime()
            // Numbers, booleans, dates and times. Date-times may hold a blank ("1979-05-27 07:32:00"), so
            // blanks are taken in: stopping early could wrongly conclude toml++ errors on what follows.
            while let c = current, c != "\n", c != "\r", c != ",", c != "]", c != "}", c != "#" { index += 1 }
        }
    }

    /// toml++ reads a blank after a date-like value (`YYYY-MM-DD`, ten characters ignoring `_`) as
    /// the `T` of a date-time and takes one digit after it; if a value terminator follows that digit
    /// (`d = 2025-01-01 1`), its scanner is entered on the terminator, which it assumes cannot happen.
    /// Such text is never valid TOML (a time has `HH:MM:SS`).
    private func dateLikeWithBlank() throws(Stop) {
        guard let first = current, ("0"..."9").contains(first) else { return }
        var end = index
        var kept: [Unicode.Scalar] = []
        while end < scalars.count, !Self.isValueTerminator(scalars[end]) {
            if scalars[end] != "_" { kept.append(scalars[end]) }
            end += 1
        }
        guard kept.count == 10, kept[4] == "-", kept[7] == "-",
            end + 2 < scalars.count, scalars[end] == " ", ("0"..."9").contains(scalars[end + 1]),
            Self.isValueTerminator(scalars[end + 2])
        else { return }
        throw .crash(
            end + 2,
            "expected a time like 07:32:00 after the date and the blank, saw \(Self.show(scalars[end + 2]))"
        )
    }

    /// A value starting `YYYY-MM-DDT` (or `t`) is a date-time to toml++, whose time parser then assumes
    /// a digit comes next (`1979-05-27T.5`, `2025-01-01Tx:00`). Never valid TOML either.
    private func dateWithoutTime() throws(Stop) {
        let pattern = "0000-00-00T"
        guard index + pattern.unicodeScalars.count < scalars.count else { return }
        for (offset, expected) in pattern.unicodeScalars.enumerated() {
            let scalar = scalars[index + offset]
            switch expected {
            case "0": guard ("0"..."9").contains(scalar) else { return }
            case "T": guard scalar == "T" || scalar == "t" else { return }
            default: guard scalar == expected else { return }
            }
        }
        let next = scalars[index + pattern.unicodeScalars.count]
        if ("0"..."9").contains(next) { return }
        throw .crash(
            index + pattern.unicodeScalars.count,
            "expected a time like 07:32:00 after the 'T', saw \(Self.show(next))"
        )
    }

    private mutating func array(depth: Int) throws(Stop) {
        index += 1  // '['
        var afterValue = false
        while true {
            skipBlanksLinesAndComments()
            guard let c = current else { throw .parserStops }
            switch c {
            case ",":
                guard afterValue else { throw .parserStops }
                afterValue = false
                index += 1
            case "]":
                index += 1
                return
            default:
                if afterValue { throw .parserStops }
                // toml++ calls parse_value here assuming no value terminator can be left over.
                if Self.isValueTerminator(c) {
                    throw .crash(index, "expected a value or ']' in the array, saw \(Self.show(c))")
                }
                try value(depth: depth + 1)
                afterValue = true
            }
        }
    }

    private mutating func inlineTable(depth: Int) throws(Stop) {
        index += 1  // '{'
        var afterPair = false
        var afterComma = false
        while true {
            skipBlanks()
            guard let c = current else { throw .parserStops }
            if c == "," {
                guard afterPair else { throw .parserStops }
                afterPair = false
                afterComma = true
                index += 1
            } else if c == "}" {
                if afterComma { throw .parserStops }  // a dangling comma is an error
                index += 1
                return
            } else if Self.isBareKey(c) || Self.isQuote(c) {
                if afterPair { throw .parserStops }
                try keyValue(depth: depth)
                afterPair = true
                afterComma = false
            } else {
                throw .parserStops
            }
        }
    }

    /// Any of TOML's four string kinds, from its opening quote to just past its closing one.
    private mutating func string() throws(Stop) {
        guard let quote = current else { throw .parserStops }
        let literal = quote == "'"
        if peek(1) == quote && peek(2) == quote {
            index += 3
            while let c = current {
                if !literal && c == "\\" {
                    index += 2
                    continue
                }
                if c == quote && peek(1) == quote && peek(2) == quote {
                    index += 3
                    // Up to two more quotes belong to the content ("""a"""" is `a"`).
                    var extra = 0
                    while extra < 2, current == quote {
                        index += 1
                        extra += 1
                    }
                    return
                }
                index += 1
            }
            throw .parserStops
        }
        index += 1
        while let c = current {
            if c == "\n" || c == "\r" { throw .parserStops }
            index += 1
            if !literal && c == "\\" {
                index += 1
                continue
            }
            if c == quote { return }
        }
        throw .parserStops
    }
}
