import Foundation
import TestShardModel

/// Timing data in the flat JSON that other splitters commit: `{name: seconds}`.
///
/// Accepted shapes:
/// - pytest-split's `.test_durations`: `{"tests/a.py::TestX::test_y": 0.25, ...}` (test level);
/// - knapsack's report: `{"spec/a_spec.rb": 12.5, ...}` (file level);
/// - the wrapper of the benchmark datasets:
///   `{"source": "...", "kind": "...", "unit": "...", "durations": {name: seconds}}`.
///
/// The unit is detected from the names: test level when any name holds `::`. Every entry must
/// be a finite number ≥ 0; the first bad entry (in name order) is reported by name.
public struct DurationsFile: Sendable, Hashable {
    /// What the names stand for.
    public enum Unit: String, Sendable, Hashable, Codable {
        /// Names are file paths.
        case file
        /// Names are test node ids (`path::test`); a few may still be whole files.
        case test
    }

    /// The wrapper's `source` string, when the file had one.
    public var source: String?
    /// File or test level, detected from the names.
    public var unit: Unit
    /// Seconds by name.
    public var durations: [String: Double]

    /// Creates a value directly (for tests and importers); no checks.
    public init(source: String? = nil, unit: Unit, durations: [String: Double]) {
        self.source = source
        self.unit = unit
        self.durations = durations
    }

    /// Parses the JSON bytes of a durations file, or throws `DurationsFileError` naming what is wrong.
    public init(jsonData data: Data) throws(DurationsFileError) {
        let root = try Self.decodeRoot(data)
        guard case .object(let top) = root else {
            throw DurationsFileError(
                code: .notAnObject,
                message: "the file holds \(root.kind), expected a JSON object {\"name\": seconds, ...}"
            )
        }
        var entries = top
        var source: String?
        // The dataset wrapper: an object under "durations". A flat file never has an object value.
        if case .object(let inner)? = top["durations"] {
            entries = inner
            if case .string(let text)? = top["source"] { source = text }
        } else if let wrapped = top["durations"], top["source"] != nil || top["unit"] != nil {
            throw DurationsFileError(
                code: .notAnObject,
                entry: "durations",
                message: "\"durations\" holds \(wrapped.kind), expected an object {\"name\": seconds, ...}"
            )
        }
        guard !entries.isEmpty else {
            throw DurationsFileError(
                code: .empty,
                message:
                    "the file has no entries; record durations first (pytest --store-durations) or drop --durations"
            )
        }
        var durations: [String: Double] = [:]
        durations.reserveCapacity(entries.count)
        var testLevel = false
        for name in entries.keys.sorted() {
            let seconds = try Self.seconds(entries[name]!, name: name)
            let (file, test) = NodeID.split(name)
            if let test {
                guard !file.isEmpty, !test.isEmpty else {
                    throw DurationsFileError(
                        code: .badName,
                        entry: name,
                        message: "entry \"\(name)\" has an empty file or test part around \"::\"; expected path::test"
                    )
                }
                testLevel = true
            } else if name.isEmpty {
                throw DurationsFileError(
                    code: .badName,
                    entry: name,
                    message: "an entry has an empty name; expected a file path or path::test"
                )
            }
            durations[name] = seconds
        }
        if testLevel {
            let files = Set(
                durations.keys.compactMap { name in NodeID.isTest(name) ? String(NodeID.split(name).file) : nil }
            )
            if let clash = durations.keys.sorted().first(where: { !NodeID.isTest($0) && files.contains($0) }) {
                throw DurationsFileError(
                    code: .mixedEntries,
                    entry: clash,
                    message:
                        "\"\(clash)\" has a whole-file entry and per-test entries, so its time would count twice; keep one kind"
                )
            }
        }
        self.init(source: source, unit: testLevel ? .test : .file, durations: durations)
    }

    private static func seconds(_ value: JSONValue, name: String) throws(DurationsFileError) -> Double {
        guard case .number(let seconds) = value else {
            throw DurationsFileError(
                code: .notANumber,
                entry: name,
                message: "entry \"\(name)\" is \(value.kind), expected seconds as a number ≥ 0; fix or remove the entry"
            )
        }
        guard seconds.isFinite else {
            throw DurationsFileError(
                code: .notFinite,
                entry: name,
                message: "entry \"\(name)\" is \(seconds), expected a finite number of seconds; fix or remove the entry"
            )
        }
        guard seconds >= 0 else {
            throw DurationsFileError(
                code: .negative,
                entry: name,
                message: "entry \"\(name)\" is \(seconds) s, expected seconds ≥ 0; fix or remove the entry"
            )
        }
        return seconds
    }

    /// Strict JSON first. When that fails, a JSON5 read (which knows `NaN` and `Infinity`, as
    /// Python's `json.dump` writes them) finds the entry to name; otherwise the strict error stands.
    private static func decodeRoot(_ data: Data) throws(DurationsFileError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            let lenient = JSONDecoder()
            lenient.allowsJSON5 = true
            if let root = try? lenient.decode(JSONValue.self, from: data), root.containsNonFiniteNumber {
                return root
            }
            throw DurationsFileError(
                code: .invalidJSON,
                message: "the file is not valid JSON (\(Self.describe(error))); expected {\"name\": seconds, ...}"
            )
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = context.underlyingError.map { ": \(($0 as NSError).localizedDescription)" } ?? ""
            return context.debugDescription + underlying
        }
        return String(describing: error)
    }
}

/// Any JSON value, kept loosely so a bad entry can be named instead of failing the whole decode.
enum JSONValue: Decodable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case object([String: JSONValue])
    case array
    /// A value the decoder could not represent (for example a number too large for a Double).
    case unreadable

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else if (try? container.decode([JSONValue].self)) != nil {
            self = .array
        } else {
            self = .unreadable
        }
    }

    /// A short description for error messages: `the string "fast"`, `an array`.
    var kind: String {
        switch self {
        case .number(let value): "the number \(value)"
        case .string(let text): "the string \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .bool(let flag): "\(flag)"
        case .null: "null"
        case .object: "an object"
        case .array: "an array"
        case .unreadable: "a value that is not a usable number"
        }
    }

    var containsNonFiniteNumber: Bool {
        switch self {
        case .number(let value): !value.isFinite
        case .object(let members): members.values.contains { $0.containsNonFiniteNumber }
        default: false
        }
    }
}
