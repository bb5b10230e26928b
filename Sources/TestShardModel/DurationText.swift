/// Human durations as they appear in config and on the command line: `90`, `90s`, `20m`,
/// `1h30m`, `500ms`, `1.5h`. A bare number is seconds.
public enum DurationText {
    /// Seconds for `text`, or `nil` when it is not a duration (negative, empty, unknown unit).
    public static func seconds(_ text: String) -> Double? {
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        if trimmed.isEmpty { return nil }
        if let plain = Double(trimmed) { return plain >= 0 && plain.isFinite ? plain : nil }
        var total = 0.0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += value / 1000
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
        }
        return total.isFinite ? total : nil
    }

    /// A short human form: `850ms`, `12.5s`, `3m05s`, `1h02m`.
    public static func format(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "∞" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 {
            let tenths = (seconds * 10).rounded() / 10
            return tenths == tenths.rounded() ? "\(Int(tenths))s" : "\(tenths)s"
        }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60)m" + pad2(whole % 60) + "s" }
        return "\(whole / 3600)h" + pad2((whole % 3600) / 60) + "m"
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
