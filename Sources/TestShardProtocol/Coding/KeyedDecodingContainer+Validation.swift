// Range checks done while decoding, so a message that reaches a state machine or a shell is
// well-formed: attempts are ≥ 1, shard ids are short printable strings, counts are positive.
// Each failure is a `ProtocolError` (.invalidField) naming the field by its wire path.

extension KeyedDecodingContainer {
    /// The longest shard id or name accepted; real ones are like `s0042`.
    static var maximumIdentifierLength: Int { 200 }

    func invalid(_ key: Key, _ problem: String) -> ProtocolError {
        ProtocolError(
            code: .invalidField,
            message: "field \"\(CodingPathText.format(codingPath + [key]))\" \(problem)"
        )
    }

    /// A shard id: non-empty, at most 200 characters, no control characters.
    func decodeShardID(forKey key: Key) throws -> String {
        try decodeIdentifier(forKey: key)
    }

    /// A short printable name (shard id, worker name, run id).
    func decodeIdentifier(forKey key: Key) throws -> String {
        let value = try decode(String.self, forKey: key)
        if value.isEmpty { throw invalid(key, "must not be empty") }
        if value.unicodeScalars.count > Self.maximumIdentifierLength {
            throw invalid(key, "is longer than \(Self.maximumIdentifierLength) characters: \(LogText.quoted(value))")
        }
        if value.unicodeScalars.contains(where: LogText.isControl) {
            throw invalid(key, "contains control characters: \(LogText.quoted(value))")
        }
        return value
    }

    /// Short descriptive text a peer reports about itself (hostname, runner, versions): at most 200
    /// characters, no control characters, so it can go into a log line as is. May be empty.
    func decodeLabel(forKey key: Key) throws -> String {
        let value = try decode(String.self, forKey: key)
        if value.unicodeScalars.count > Self.maximumIdentifierLength {
            throw invalid(key, "is longer than \(Self.maximumIdentifierLength) characters: \(LogText.quoted(value))")
        }
        if value.unicodeScalars.contains(where: LogText.isControl) {
            throw invalid(key, "contains control characters: \(LogText.quoted(value))")
        }
        return value
    }

    /// `decodeLabel` for a key that may be absent or null.
    func decodeLabelIfPresent(forKey key: Key) throws -> String? {
        guard contains(key), !(try decodeNil(forKey: key)) else { return nil }
        return try decodeLabel(forKey: key)
    }

    /// An attempt number: an integer ≥ 1.
    func decodeAttempt(forKey key: Key) throws -> Int {
        let value = try decode(Int.self, forKey: key)
        if value < 1 { throw invalid(key, "must be an attempt number ≥ 1, got \(value)") }
        return value
    }

    /// An integer in `range`.
    func decodeInt(forKey key: Key, in range: ClosedRange<Int>) throws -> Int {
        let value = try decode(Int.self, forKey: key)
        if !range.contains(value) {
            throw invalid(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    /// A number of seconds: finite and > 0.
    func decodePositiveSeconds(forKey key: Key) throws -> Double {
        let value = try decode(Double.self, forKey: key)
        if !(value > 0) || !value.isFinite { throw invalid(key, "must be a number of seconds > 0, got \(value)") }
        return value
    }
}

/// Formats a decoding path the way a person reads JSON: `tests[3].failure.message`.
enum CodingPathText {
    static func format(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += LogText.oneLine(key.stringValue, limit: 80)
            }
        }
        return out.isEmpty ? "(top level)" : out
    }
}
