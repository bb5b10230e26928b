/// Reads one progress record written as a flat JSON object, whose values are all strings or
/// numbers: what the plugin writes for a test's start, its passed phases and its finish, and for a
/// file's collection — nearly every line of a log. Anything else (a nested `crash`, `true`, `null`,
/// a cut-short or malformed line, a value of another type than the record's field, a field given
/// twice) gives `nil`, and the decoder hands that line to `JSONDecoder`, which then decides. The
/// tests hold the two to the same records on every kind of line the plugin writes and on many it
/// does not.
///
/// `JSONDecoder` cost ~25 µs per line even with the whole log in one call, between a shard's end
/// and its result (the worker's decode in a seed history run, before and after: docs/BENCHMARKS.md,
/// "The seed's scale").
enum PytestProgressLine {
    static func parse(_ bytes: UnsafeRawBufferPointer) -> PytestProgressDecoder.Record? {
        var scanner = Scanner(bytes: bytes)
        return scanner.record()
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        mutating func record() -> PytestProgressDecoder.Record? {
            var event: String?
            var record = PytestProgressDecoder.Record(event: "")
            var seen = Set<String>()
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            skipSpace()
            if take(UInt8(ascii: "}")) { return nil }  // no event
            while true {
                skipSpace()
                // A key given twice is left to JSONDecoder's rule for it.
                guard let key = string(), seen.insert(key).inserted else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "\"") {
                    guard let value = string() else { return nil }
                    switch key {
                    case "event": event = value
                    case "nodeid": record.nodeid = value
                    case "rootdir": record.rootdir = value
                    case "when": record.when = value
                    case "outcome": record.outcome = value
                    case "xfail": record.xfail = value
                    case "text": record.text = value
                    case "duration", "exitstatus", "t", "crash": return nil  // another type than expected
                    default: break
                    }
                } else {
                    guard let text = number() else { return nil }
                    switch key {
                    case "duration":
                        guard let value = Double(text), value.isFinite else { return nil }
                        record.duration = value
                    case "t":
                        guard let value = Double(text), value.isFinite else { return nil }
                        record.t = value
                    case "exitstatus":
                        guard let value = Int(text) else { return nil }
                        record.exitstatus = value
                    case "event", "nodeid", "rootdir", "when", "outcome", "xfail", "text", "crash": return nil
                    default: break
                    }
                }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { return nil }
                break
            }
            skipSpace()
            guard index == bytes.count, let event else { return nil }
            record.event = event
            return record
        }

        private mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
                default: return
                }
            }
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A JSON number's text, checked against the grammar (`-? int frac? exp?`).
        private mutating func number() -> String? {
            let start = index
            _ = take(UInt8(ascii: "-"))
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if take(UInt8(ascii: ".")) {
                guard index < bytes.count, isDigit(bytes[index]) else { return nil }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard index < bytes.count, isDigit(bytes[index]) else { return nil }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        private func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        /// A JSON string, escapes resolved; `nil` for a raw control character, a bad escape, a lone
        /// surrogate, bytes that are not UTF-8, or no closing quote.
        private mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            // The usual case: no escapes.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                index += 1
            }
            var utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeScalar() else { return nil }
                        utf8.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    utf8.append(byte)
                }
            }
            return nil
        }

        /// The scalar of a `\u` escape whose `\u` is read: one code unit, or a surrogate pair.
        private mutating func unicodeScalar() -> Unicode.Scalar? {
            guard let first = hex4() else { return nil }
            switch first {
            case 0xD800...0xDBFF:
                guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let second = hex4(),
                    (0xDC00...0xDFFF).contains(second)
                else { return nil }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            case 0xDC00...0xDFFF:
                return nil
            default:
                return Unicode.Scalar(first)
            }
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
    }
}
