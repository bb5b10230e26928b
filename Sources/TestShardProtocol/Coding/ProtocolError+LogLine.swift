extension ProtocolError: CustomStringConvertible {
    /// The single log line for this error, `bad_mac: worker "ci-3" …`.
    ///
    /// This is the one place errors become text for logs: control characters and line breaks a
    /// peer may have put into a name or a message are escaped so one error is always one line, and
    /// the length is bounded. Nothing here can contain the token or a MAC: no error ever stores them.
    public var description: String {
        "\(LogText.oneLine(code.rawValue, limit: 64)): \(LogText.oneLine(message, limit: 1000))"
    }
}

/// Turns text that may come from a peer into something safe to put in a one-line log or error
/// message. Shells use `oneLine` for peer-supplied free text they log (a refusal's reason, a
/// goodbye's reason); names and labels in `hello` are already checked to be printable.
public enum LogText {
    /// `text` with control characters escaped (`\n`, `\u{1B}`) and cut to `limit` characters, with
    /// `…` marking a cut. Idempotent on its own output, so text can pass through it twice.
    public static func oneLine(_ text: String, limit: Int = 200) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isControl(scalar) {
                    out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return out
    }

    /// C0, DEL, C1 and the Unicode line/paragraph separators: characters that would break a log
    /// line or let a peer forge one.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// A peer-supplied value for an error message: quoted, escaped and short.
    static func quoted(_ text: String, limit: Int = 80) -> String {
        "\"" + oneLine(text, limit: limit).replacingQuotes() + "\""
    }

    /// `text` cut to `limit` characters without escaping (for values that are escaped later).
    static func clip(_ text: String, limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        guard contains("\"") else { return self }
        var out = ""
        for c in self {
            if c == "\"" { out += "\\\"" } else { out.append(c) }
        }
        return out
    }
}
