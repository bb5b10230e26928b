import TOMLKit

/// How values and types are named in error messages.
enum ConfigValueText {
    /// A string in double quotes, escaped as TOML/JSON would, shortened past `limit` characters.
    static func quoted(_ text: String, limit: Int = 80) -> String {
        var out = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            count += 1
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// "a string", "an integer", … for `expected …, got …` messages.
    static func typeName(_ type: TOMLType) -> String {
        switch type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a float"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }

    /// The value as TOML-ish text, shortened for a one-line message.
    static func render(_ value: TOMLValue, limit: Int = 80) -> String {
        let text = renderFull(value, budget: limit)
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// `a string: "x"`, `an integer: 3`: the type and the value, as `got …` wants it.
    static func describe(_ value: TOMLValue) -> String {
        "\(typeName(value.type)): \(render(value))"
    }

    private static func renderFull(_ value: TOMLValue, budget: Int) -> String {
        switch value.type {
        case .string:
            return quoted(value.string ?? "", limit: budget)
        case .int:
            return value.int.map { String($0) } ?? "?"
        case .double:
            return value.double.map { String($0) } ?? "?"
        case .bool:
            return value.bool.map { String($0) } ?? "?"
        case .date:
            return value.date.map { $0.debugDescription } ?? "?"
        case .time:
            return value.time.map { $0.debugDescription } ?? "?"
        case .dateTime:
            return value.dateTime.map { $0.debugDescription } ?? "?"
        case .array:
            guard let array = value.array else { return "[]" }
            var parts: [String] = []
            var used = 2
            for index in 0..<array.count {
                if used > budget {
                    parts.append("…")
                    break
                }
                let part = renderFull(array[index].tomlValue, budget: budget - used)
                used += part.count + 2
                parts.append(part)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .table:
            guard let table = value.table else { return "{}" }
            var parts: [String] = []
            var used = 2
            for key in table.keys {
                if used > budget {
                    parts.append("…")
                    break
                }
                guard let member = table[key] else { continue }
                let part = ConfigKeyPath.render(key: key) + " = " + renderFull(member.tomlValue, budget: budget - used)
                used += part.count + 2
                parts.append(part)
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }
}
