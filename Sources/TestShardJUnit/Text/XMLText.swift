/// Escaping for XML 1.0 output.
///
/// XML 1.0 cannot carry most control characters at all, not even as character references, and
/// test output is full of them (ANSI colours, a stray `\x01` from a binary protocol). A writer that
/// passes them through produces a file that every JUnit consumer rejects, so they are removed here:
/// ANSI escape sequences are dropped whole, other illegal characters become a visible `#xNN`, the
/// form pytest uses.
enum XMLText {
    /// `text` made safe as element content.
    static func content(_ text: String) -> String {
        escape(text, inAttribute: false)
    }

    /// `text` made safe inside a double-quoted attribute value (line breaks kept as references).
    static func attribute(_ text: String) -> String {
        escape(text, inAttribute: true)
    }

    /// Whether XML 1.0 allows the scalar anywhere in a document.
    static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func escape(_ text: String, inAttribute: Bool) -> String {
        // Most names and paths are plain printable ASCII: nothing to do.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 }) {
            return text
        }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.unicodeScalars.count)
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where inAttribute: out.append(contentsOf: "&quot;".unicodeScalars)
            case "\n" where inAttribute: out.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            case "\t" where inAttribute: out.append(contentsOf: "&#9;".unicodeScalars)
            case "\u{1B}":
                // An ANSI CSI sequence (`ESC [ params letter`) carries colour, not content.
                guard let next = scalars.next() else { break }
                if next == "[" {
                    while let c = scalars.next() {
                        if (0x40...0x7E).contains(c.value) { break }
                    }
                } else {
                    out.append(contentsOf: "#x1B".unicodeScalars)
                    pending = next
                }
            default:
                if isLegal(scalar) {
                    out.append(scalar)
                } else {
                    out.append(contentsOf: hexMarker(scalar).unicodeScalars)
                }
            }
        }
        return String(out)
    }

    private static func hexMarker(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "#x" + (hex.count < 2 ? "0" + hex : hex)
    }
}
