/// Appends metric families in the Prometheus text exposition format 0.0.4:
///
/// ```
/// # HELP <name> <help, with \ and newline escaped>
/// # TYPE <name> counter|gauge|histogram
/// <name>{<label>="<value, with \ " and newline escaped>",…} <value>
/// ```
///
/// Names are the caller's constants and are not checked here; the tests hold every rendered name
/// to the format's grammar.
struct PrometheusTextWriter {
    /// The metric types the coordinator exposes.
    enum MetricType: String {
        case counter
        case gauge
        case histogram
    }

    private(set) var text = ""

    /// Starts a family: its `# HELP` and `# TYPE` lines. Its samples must follow before the next
    /// family starts.
    mutating func family(_ name: String, _ type: MetricType, help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n"
        text += "# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample line.
    mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: Double) {
        line(name, labels, Self.format(value))
    }

    /// One sample line with an integer value, written exactly (no round trip through `Double`).
    mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: Int) {
        line(name, labels, String(value))
    }

    private mutating func line(_ name: String, _ labels: [(String, String)], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            text += labels.map { "\($0.0)=\"\(Self.escapeLabelValue($0.1))\"" }.joined(separator: ",")
            text += "}"
        }
        text += " \(value)\n"
    }

    /// `\` → `\\` and newline → `\n`, the only escapes a HELP text has.
    static func escapeHelp(_ text: String) -> String {
        // Scalars, not Characters: a CRLF is one Character and would hide its line feed.
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// `\` → `\\`, `"` → `\"` and newline → `\n`, the escapes a label value needs.
    static func escapeLabelValue(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\"": escaped.append(contentsOf: "\\\"".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// A sample value or `le` bound as Prometheus reads it (Go's `ParseFloat`): integral values
    /// without a fraction (`300`, not `300.0`), others in Swift's shortest round-trip form
    /// (`0.25`, `1e-07`), and `+Inf`, `-Inf`, `NaN`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Within ±2^53 every integral double is an exact Int64, so the integer text is the same number.
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992, let integer = Int64(exactly: value) {
            return String(integer)
        }
        return "\(value)"
    }
}
