/// A strict reader of the Prometheus text format 0.0.4, for tests: it parses what `promtool check
/// metrics` and the Prometheus scraper parse, and throws on what they refuse, plus the rules a
/// well-formed exposition keeps (HELP and TYPE before samples, one block per family, counters
/// ending in `_total`, histogram buckets cumulative with `+Inf` equal to `_count`).
struct ExpositionParser {
    struct Sample: Hashable {
        var name: String
        /// In the order written.
        var labels: [Label]
        var value: Double

        func label(_ name: String) -> String? { labels.first { $0.name == name }?.value }
    }

    struct Label: Hashable {
        var name: String
        var value: String
    }

    struct Family: Hashable {
        var name: String
        var type: String
        var help: String
        var samples: [Sample] = []
    }

    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// The families in the order they appear.
    static func parse(_ text: String) throws -> [Family] {
        guard text.hasSuffix("\n") else { throw Failure(line: 0, reason: "text does not end in a newline") }
        var families: [Family] = []
        var pendingHelp: (name: String, help: String)? = nil
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            let line = String(rawLine)
            func fail(_ reason: String) -> Failure { Failure(line: number, reason: "\(reason): \(line)") }
            if line.isEmpty { throw fail("empty line") }
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst("# HELP ".count)
                guard let space = rest.firstIndex(of: " ") else { throw fail("HELP without text") }
                let name = String(rest[..<space])
                guard isMetricName(name) else { throw fail("bad metric name") }
                guard families.allSatisfy({ $0.name != name }) else { throw fail("HELP after the family's samples") }
                pendingHelp = (name, try unescape(rest[rest.index(after: space)...], quotes: false, line: number))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst("# TYPE ".count).split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw fail("TYPE needs a name and a type") }
                let name = String(parts[0])
                let type = String(parts[1])
                guard isMetricName(name) else { throw fail("bad metric name") }
                guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else {
                    throw fail("unknown type")
                }
                guard families.allSatisfy({ $0.name != name }) else { throw fail("second TYPE for a family") }
                guard let help = pendingHelp, help.name == name else { throw fail("TYPE without HELP just before") }
                if type == "counter" && !name.hasSuffix("_total") { throw fail("counter not ending in _total") }
                families.append(Family(name: name, type: type, help: help.help))
                pendingHelp = nil
            } else if line.hasPrefix("#") {
                continue
            } else {
                let sample = try parseSample(line, line: number)
                guard var family = families.last, belongs(sample.name, to: family) else {
                    throw fail("sample outside its family's block")
                }
                family.samples.append(sample)
                families[families.count - 1] = family
            }
        }
        for family in families where family.type == "histogram" {
            try checkHistogram(family)
        }
        return families
    }

    private static func belongs(_ sample: String, to family: Family) -> Bool {
        if family.type == "histogram" {
            return ["_bucket", "_sum", "_count"].contains { sample == family.name + $0 }
        }
        return sample == family.name
    }

    /// Per label set (without `le`): `le` bounds ascending, counts non-decreasing, a `+Inf`
    /// bucket equal to `_count`, and one `_sum`.
    private static func checkHistogram(_ family: Family) throws {
        func key(_ sample: Sample) -> [Label] { sample.labels.filter { $0.name != "le" } }
        let series = Set(family.samples.map(key))
        for labels in series {
            let samples = family.samples.filter { key($0) == labels }
            let buckets = samples.filter { $0.name == family.name + "_bucket" }
            let bounds = try buckets.map { bucket -> Double in
                guard let le = bucket.label("le"), let bound = parseValue(le) else {
                    throw Failure(line: 0, reason: "\(family.name): bucket without a numeric le")
                }
                return bound
            }
            guard bounds == bounds.sorted(), Set(bounds).count == bounds.count, bounds.last == .infinity else {
                throw Failure(line: 0, reason: "\(family.name): le bounds \(bounds) not ascending to +Inf")
            }
            let counts = buckets.map(\.value)
            guard counts == counts.sorted() else {
                throw Failure(line: 0, reason: "\(family.name): bucket counts \(counts) not cumulative")
            }
            let count = samples.filter { $0.name == family.name + "_count" }.map(\.value)
            let sum = samples.filter { $0.name == family.name + "_sum" }
            guard count == [counts.last!], sum.count == 1 else {
                throw Failure(line: 0, reason: "\(family.name): _count \(count) is not the +Inf bucket, or no _sum")
            }
        }
    }

    private static func parseSample(_ text: String, line: Int) throws -> Sample {
        var rest = Substring(text)
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        guard isMetricName(name) else { throw Failure(line: line, reason: "bad sample name in \(text)") }
        rest = rest.dropFirst(name.count)
        var labels: [Label] = []
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = String(rest.prefix { $0 != "=" })
                guard isLabelName(labelName), labels.allSatisfy({ $0.name != labelName }) else {
                    throw Failure(line: line, reason: "bad or repeated label name '\(labelName)'")
                }
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else { throw Failure(line: line, reason: "label without =\"") }
                rest = rest.dropFirst(2)
                // The value runs to the first quote not escaped by a backslash.
                var raw = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        raw.append("\\")
                        raw.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        raw.append(character)
                    }
                }
                labels.append(Label(name: labelName, value: try unescape(Substring(raw), quotes: true, line: line)))
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Failure(line: line, reason: "no space before the value") }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), let value = parseValue(String(fields[0])) else {
            throw Failure(line: line, reason: "bad value in \(text)")
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw Failure(line: line, reason: "bad timestamp") }
        return Sample(name: name, labels: labels, value: value)
    }

    /// Only `\\`, `\n` and (in label values) `\"` are escapes.
    private static func unescape(_ text: Substring, quotes: Bool, line: Int) throws -> String {
        var out = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else {
                if character == "\n" { throw Failure(line: line, reason: "raw newline") }
                out.append(character)
                continue
            }
            switch iterator.next() {
            case "\\": out.append("\\")
            case "n": out.append("\n")
            case "\"" where quotes: out.append("\"")
            case let other: throw Failure(line: line, reason: "bad escape \\\(other.map(String.init) ?? "")")
            }
        }
        return out
    }

    /// Go's `ParseFloat` as Prometheus uses it, for the forms a renderer should write.
    static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Double(text)
        }
    }

    private static func isMetricName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" || first == ":" else {
            return false
        }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }

    private static func isLabelName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
