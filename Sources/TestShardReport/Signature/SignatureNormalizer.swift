import Foundation
import TestShardModel

/// The `reason-v1` error-signature normalizer (report-anchors §7): merges failures that differ only
/// in noise (paths, times, ids, addresses, numbers) and keeps apart those that differ in meaning
/// (identifiers, errno, HTTP status, exit codes, signals).
///
/// Pipeline, in this order:
///
/// ```
///  1 ANSI  2 log prefixes  3 paths  4 timestamps  5 UUIDs  6 IPs/ports  7 object reprs  8 hex
///  9 base64  10 durations  11 numbers (keep-list protected)  12 key=value quoted values
///  13 whitespace/length  14 project masks  15 generic guard (+ crash location)  16 id
/// ```
///
/// Rules 5, 6 and 8 number their placeholders within one message (`<HEX1>`, `<HEX2>`): the same raw
/// token gets the same number, so "expected X got X" and "expected X got Y" stay apart.
public struct SignatureNormalizer: Sendable {
    /// The algorithm name; part of every id (`r1:`) and printed in the report.
    public static let algorithm = "reason-v1"
    /// Signatures use at most this many characters of the normalized text.
    public static let signatureLength = 500

    public let repoRoots: [String]
    public let masks: [ProjectMask]
    private let hexRule: NSRegularExpression
    private let captureMasks: [NSRegularExpression]

    /// - Parameters:
    ///   - repoRoots: absolute suite roots to strip from paths (step 3).
    ///   - masks: the suite's project masks (step 8 hex tokens, step 14 capture masks).
    public init(repoRoots: [String] = [], masks: [ProjectMask] = []) {
        // Longest first, so a root nested in another is not cut short.
        self.repoRoots = repoRoots.filter { !$0.isEmpty }.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            .sorted { ($0.count, $0) > ($1.count, $1) }
        self.masks = masks
        let hexMasks = masks.filter { $0.kind == .hexToken }.map { "(?:\($0.pattern))" }
        self.hexRule =
            hexMasks.isEmpty
            ? Patterns.hex
            : (try? NSRegularExpression(pattern: ([Patterns.hexSource] + hexMasks).joined(separator: "|")))
                ?? Patterns.hex
        self.captureMasks = masks.filter { $0.kind == .capture }.map(\.regex)
    }

    // MARK: - Public entry points

    /// Steps 1–16 for one test failure.
    /// - Parameters:
    ///   - message: the crash message, `ExceptionType: message` (step 0 chose it).
    ///   - exceptionType: the exception type, when known; part of the id.
    ///   - crashLocation: `path::function` of the crash, appended when the message is generic.
    public func signature(message: String, exceptionType: String?, crashLocation: String?) -> FailureSignature {
        var normalized = normalizeText(message)
        if Self.isGeneric(normalized, exceptionType: exceptionType), let crashLocation, !crashLocation.isEmpty {
            normalized += " @ " + crashLocation
        }
        return Self.makeSignature(type: exceptionType ?? "", normalized: normalized)
    }

    /// Steps 1–16 for a shard that ended without test results:
    /// `<exit_kind>: <last meaningful log line>`, with `@ <file>` when the line says nothing.
    public func shardSignature(exitKind: ShardExitKind, logLine: String?, file: String?) -> FailureSignature {
        let line = normalizeText(logLine ?? "")
        var normalized = line.isEmpty ? exitKind.rawValue : exitKind.rawValue + ": " + line
        if Self.isGeneric(line, exceptionType: nil), let file, !file.isEmpty {
            normalized += " @ " + file
        }
        return Self.makeSignature(type: exitKind.rawValue, normalized: normalized)
    }

    /// Steps 1–14: the normalized text, at most `signatureLength` characters.
    public func normalizeText(_ raw: String) -> String {
        var text = raw
        let features = Features(text)

        // 1. ANSI colour.
        if features.escape { text = Self.replace(Patterns.ansi, in: text, with: "") }
        // 2. Log and worker prefixes.
        if features.bracket { text = Self.replace(Patterns.prefixes[0], in: text, with: "") }
        if features.digit && features.colon { text = Self.replace(Patterns.prefixes[1], in: text, with: "") }
        if features.pid { text = Self.replace(Patterns.prefixes[2], in: text, with: "") }
        // 3. Paths: repo roots first, then temp folders and site-packages, then backslashes.
        if features.slash {
            for root in repoRoots where text.contains(root) {
                text = text.replacingOccurrences(of: root + "/", with: "").replacingOccurrences(of: root, with: "")
            }
            for (pattern, replacement) in Patterns.paths { text = Self.replace(pattern, in: text, with: replacement) }
        }
        if features.backslash { text = text.replacingOccurrences(of: "\\", with: "/") }
        if features.digit {
            // 4. Timestamps.
            if features.colon || features.dash || features.parenthesis {
                text = Self.replace(Patterns.timestamp, in: text, with: "<TS>")
            }
            // 5. UUIDs.
            if features.dash { text = Self.numbered(Patterns.uuid, in: text, kind: "UUID") }
            // 6. IPv4/IPv6 (with port), localhost ports.
            if features.dot || features.colon { text = Self.numbered(Patterns.ip, in: text, kind: "IP") }
            if features.colon { text = Self.replace(Patterns.localhostPort, in: text, with: "localhost:<PORT>") }
        }
        // 7. Python object reprs (before hex, which would eat the address).
        if features.lessThan { text = Self.replace(Patterns.objectRepr, in: text, with: "<$1 object>") }
        // 8. Hex tokens (plus the suite's hex-token masks).
        if features.digit { text = Self.numbered(hexRule, in: text, kind: "HEX") }
        // 9. Base64-ish tokens.
        if features.equals { text = Self.replace(Patterns.base64, in: text, with: "<B64>") }
        if features.digit {
            // 10. Durations.
            text = Self.replace(Patterns.duration, in: text, with: "<DUR>")
            // 11. Numbers, with errno / HTTP status / exit code / signal protected first.
            var kept: [String] = []
            text = Self.replace(Patterns.keep, in: text) { ns, match in
                kept.append(ns.substring(with: match.range))
                return Self.keepToken(kept.count - 1)
            }
            text = Self.replace(Patterns.float, in: text, with: "<F>")
            text = Self.replace(Patterns.int, in: text, with: "<N>")
            for (index, original) in kept.enumerated() {
                text = text.replacingOccurrences(of: Self.keepToken(index), with: original)
            }
        }
        // 12. Quoted values and booleans after `=` (other quoted text is kept: Python quotes identifiers).
        if features.equals {
            text = Self.replace(Patterns.keyValueString, in: text, with: "<STR>")
            text = Self.replace(Patterns.keyValueBool, in: text, with: "<BOOL>")
        }
        // 13. Length, then whitespace.
        text = Self.shorten(text)
        if features.whitespaceRun { text = Self.replace(Patterns.whitespace, in: text, with: " ") }
        text = text.trimmed
        // 14. Project capture masks.
        for mask in captureMasks {
            text = Self.replace(mask, in: text) { ns, match in
                let whole = match.range
                let group = match.range(at: 1)
                guard group.location != NSNotFound else { return ns.substring(with: whole) }
                return ns.substring(with: NSRange(location: whole.location, length: group.location - whole.location))
                    + "<*>"
                    + ns.substring(
                        with: NSRange(location: NSMaxRange(group), length: NSMaxRange(whole) - NSMaxRange(group))
                    )
            }
        }
        if text.count > Self.signatureLength { text = String(text.prefix(Self.signatureLength)) }
        return text
    }

    // MARK: - Steps 13, 15, 16

    /// Step 13's length rule: above 2,000 characters, drop repeated lines, then keep the first and
    /// last 1,000 around `…`.
    static func shorten(_ text: String) -> String {
        guard text.utf16.count > 2000 else { return text }
        var seen = Set<Substring>()
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where seen.insert(line).inserted {
            lines.append(line)
        }
        let deduplicated = lines.joined(separator: "\n")
        guard deduplicated.count > 2000 else { return deduplicated }
        return String(deduplicated.prefix(1000)) + "…" + String(deduplicated.suffix(1000))
    }

    /// Step 15: whether a normalized message says too little to be a signature on its own.
    static func isGeneric(_ normalized: String, exceptionType: String?) -> Bool {
        if normalized.count < 6 { return true }
        var core = normalized
        // "AssertionError: assert <N> == <N>" is as generic as its bare form.
        if let colon = core.range(of: ": "), Patterns.typeName.occurs(in: String(core[..<colon.lowerBound])) {
            core = String(core[colon.upperBound...])
        }
        if Patterns.genericMessages.contains(core.lowercased())
            || Patterns.genericMessages.contains(normalized.lowercased())
        {
            return true
        }
        return Patterns.genericForms.contains { $0.occurs(in: core) }
    }

    /// Step 16: `r1:` + 32 hex digits of `sha256(type + "\0" + normalized)`.
    static func makeSignature(type: String, normalized: String) -> FailureSignature {
        let digest = SHA256.hex(type + "\u{0}" + normalized)
        return FailureSignature(
            id: "r1:" + digest.prefix(32),
            algorithm: algorithm,
            exceptionType: type,
            normalized: normalized
        )
    }

    // MARK: - Regex helpers

    /// A digit-free stand-in for a protected token (private-use brackets around letters).
    private static func keepToken(_ index: Int) -> String {
        var letters = ""
        var n = index
        repeat {
            letters.append(Character(UnicodeScalar(UInt8(97 + n % 26))))
            n /= 26
        } while n > 0
        return "\u{E000}" + letters + "\u{E001}"
    }

    static func replace(_ regex: NSRegularExpression, in text: String, with template: String) -> String {
        let ns = text as NSString
        let range = NSRange(location: 0, length: ns.length)
        guard regex.firstMatch(in: text, range: range) != nil else { return text }
        return regex.stringByReplacingMatches(in: text, range: range, withTemplate: template)
    }

    static func replace(
        _ regex: NSRegularExpression,
        in text: String,
        _ transform: (NSString, NSTextCheckingResult) -> String
    ) -> String {
        let ns = text as NSString
        let matches = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return text }
        var out = ""
        var last = 0
        for match in matches {
            out += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            out += transform(ns, match)
            last = NSMaxRange(match.range)
        }
        out += ns.substring(from: last)
        return out
    }

    /// Replaces each match with `<KIND#>`, the same token always getting the same number.
    private static func numbered(_ regex: NSRegularExpression, in text: String, kind: String) -> String {
        var numbers: [String: Int] = [:]
        return replace(regex, in: text) { ns, match in
            let token = ns.substring(with: match.range)
            let number: Int
            if let known = numbers[token] {
                number = known
            } else {
                number = numbers.count + 1
                numbers[token] = number
            }
            return "<\(kind)\(number)>"
        }
    }
}

/// Cheap facts about a message that let whole rules be skipped.
private struct Features {
    var digit = false
    var escape = false
    var slash = false
    var backslash = false
    var equals = false
    var lessThan = false
    var dash = false
    var colon = false
    var dot = false
    var parenthesis = false
    var bracket = false
    /// `pid`/`PID` occurs (step 2's process-id prefix).
    var pid = false
    /// A tab, newline, or two whitespace characters in a row (step 13 has something to collapse).
    var whitespaceRun = false

    init(_ text: String) {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            defer {
                beforePrevious = previous
                previous = byte
            }
            if (byte == UInt8(ascii: "d") || byte == UInt8(ascii: "D"))
                && (previous == UInt8(ascii: "i") || previous == UInt8(ascii: "I"))
                && (beforePrevious == UInt8(ascii: "p") || beforePrevious == UInt8(ascii: "P"))
            {
                pid = true
            }
            switch byte {
            case UInt8(ascii: " "): if previous == UInt8(ascii: " ") { whitespaceRun = true }
            case 9, 10, 11, 12, 13: whitespaceRun = true
            // Lead bytes of Unicode spaces (U+00A0, U+2000…U+205F, U+3000): let the regex decide.
            case 0xC2, 0xE2, 0xE3: whitespaceRun = true
            case UInt8(ascii: ":"): colon = true
            case UInt8(ascii: "."): dot = true
            case UInt8(ascii: "("): parenthesis = true
            case UInt8(ascii: "["): bracket = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = true
            case 0x1b: escape = true
            case UInt8(ascii: "/"): slash = true
            case UInt8(ascii: "\\"): backslash = true
            case UInt8(ascii: "="): equals = true
            case UInt8(ascii: "<"): lessThan = true
            case UInt8(ascii: "-"): dash = true
            default: break
            }
        }
    }
}

/// The rules' regular expressions, compiled once. They are constants: a failure to compile is a
/// programming error caught by the tests, not an input error.
private enum Patterns {
    static func compile(_ pattern: String, _ options: NSRegularExpression.Options = []) -> NSRegularExpression {
        constantRegex(pattern, options)
    }

    static let ansi = compile(#"\x1b\[[0-9;]*[A-Za-z]"#)
    static let prefixes = [
        compile(#"^\s*\[gw\d+\]\s*"#, .anchorsMatchLines),
        compile(
            #"^\s*\d{1,2}:\d{2}:\d{2}[.,]?\d*\s+(DEBUG|INFO|WARNING|ERROR|CRITICAL|FATAL)\s*[-:|]\s*"#,
            .anchorsMatchLines
        ),
        compile(#"(?:PID|pid)[ =]\d+\s*\|?\s*"#),
    ]
    static let paths: [(NSRegularExpression, String)] = [
        (compile(#"/tmp/pytest-of-[^/]+/pytest-\d+/[^/\s'"]+"#), "<TMP>"),
        (compile(#"/(?:tmp|var/folders)/[\w./-]+"#), "<TMP>"),
        (compile(#"(?:/[^\s/'"]+)+/(?:site|dist)-packages/"#), "<SITE>/"),
    ]
    private static let month = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    private static let weekday = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
    // Sentry's `date` alternation, longest forms first.
    static let timestamp = compile(
        [
            #"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"#,
            #"\b\#(weekday),?\s+\d{1,2}\s+\#(month)\s+\d{2,4}\s+\d{2}:\d{2}(?::\d{2})?(?:\s+(?:[A-Z]{2,5}|[+-]\d{4}))?"#,
            #"\b\#(weekday)\s+\#(month)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?:\s+[A-Z]{2,5})?\s+\d{4}\b"#,
            #"datetime\.datetime\([^)]*\)"#,
            #"\b\d{4}-\d{2}-\d{2}\b"#,
            #"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"#,
            #"\b\d{1,2}:\d{2}\s?(?:AM|PM|am|pm)\b"#,
        ].joined(separator: "|")
    )
    static let uuid = compile(#"\b[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\b"#)
    private static let h = "[0-9a-fA-F]{1,4}"
    private static let ipv6 =
        #"(?<![0-9a-zA-Z_:])(?=[0-9a-fA-F:]*\d)(?:"#
        + [
            "(?:\(h):){7}\(h)",
            "(?:\(h):){1,6}:\(h)",
            "(?:\(h):){1,5}(?::\(h)){1,2}",
            "(?:\(h):){1,4}(?::\(h)){1,3}",
            "(?:\(h):){1,3}(?::\(h)){1,4}",
            "(?:\(h):){1,2}(?::\(h)){1,5}",
            "\(h):(?::\(h)){1,6}",
            ":(?::\(h)){1,7}",
            "(?:\(h):){1,7}:",
        ].joined(separator: "|") + #")(?![0-9a-zA-Z_])"#
    static let ip = compile(#"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|"# + ipv6)
    static let localhostPort = compile(#"\blocalhost:\d+"#)
    static let objectRepr = compile(#"<([\w.]+) object at 0x[0-9a-fA-F]+>"#)
    static let hexSource = #"\b0[xX][0-9a-fA-F]+\b|\b(?=[a-f]*\d)[0-9a-f]{8,128}\b|\b(?=[A-F]*\d)[0-9A-F]{8,128}\b"#
    static let hex = compile(hexSource)
    static let base64 = compile(#"[/+0-9a-zA-Z]{10,}=+"#)
    static let duration = compile(#"\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|m|min|minutes)\b"#)
    // Case-insensitive so `Exit code 1` and `Status code 500` are kept too.
    static let keep = compile(
        #"\[Errno \d+\]|\b(?:HTTP|status(?:[ _]code)?)[ :=]*[1-5]\d\d\b|\bexit (?:code|status) \d+|\bsignal \d+"#,
        .caseInsensitive
    )
    static let float = compile(#"-?\b\d+\.\d+\b"#)
    static let int = compile(#"(?<![\w.])-?\d{1,7}\b"#)
    static let keyValueString = compile(#"(?<==)'[^']+'|(?<==)"[^"]+""#)
    static let keyValueBool = compile(#"(?<==)(?:True|False|true|false)\b"#)
    static let whitespace = compile(#"\s+"#)

    static let typeName = compile(#"^[A-Za-z_][\w.]*$"#)
    static let genericMessages: Set<String> = [
        "", "assertionerror", "exception", "traceback (most recent call last):", "error", "failed", "timeout",
        "assert", "assert false",
    ]
    private static let literal = #"(?:<[A-Z]+\d*>|True|False|None|''|""|\[\]|\{\}|\(\)|<STR>|<BOOL>)"#
    static let genericForms = [
        compile(#"^return code: <N>$"#, .caseInsensitive),
        compile(#"^assert (?:not )?\#(literal)$"#),
        compile(#"^assert \#(literal) (?:==|!=|<=|>=|<|>|is not|is|not in|in) \#(literal)$"#),
    ]
}
