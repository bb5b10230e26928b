import TOMLKit
import TestShardModel

/// Reads one TOML table of the config with the schema's checks: unknown keys, types, and values,
/// each failure a `ConfigurationError` that names the file, the key path and what was expected.
///
/// TOMLKit's `Sequence` conformance of `TOMLTable` force-unwraps lookups (it traps on a key holding a
/// NUL escape), so the reader only ever uses `keys` and the optional subscript.
struct TOMLTableReader {
    let table: TOMLTable
    let path: ConfigKeyPath
    let file: String

    // MARK: Errors

    func error(_ code: ConfigurationError.Code, at path: ConfigKeyPath, _ message: String) -> ConfigurationError {
        ConfigurationError(code: code, file: file, key: path.description, message: message)
    }

    func wrongType(at path: ConfigKeyPath, expected: String, got value: TOMLValue) -> ConfigurationError {
        error(.wrongType, at: path, "expected \(expected), got \(ConfigValueText.describe(value))")
    }

    func invalid(
        at path: ConfigKeyPath,
        expected: String,
        got value: TOMLValue,
        _ detail: String = ""
    )
        -> ConfigurationError
    {
        let tail = detail.isEmpty ? "" : ": " + detail
        return error(.invalidValue, at: path, "expected \(expected), got \(ConfigValueText.render(value))\(tail)")
    }

    func missing(_ key: String, _ expectation: String) -> ConfigurationError {
        error(.missingKey, at: path.key(key), "required key is missing: \(expectation)")
    }

    // MARK: Keys

    /// Throws on the first key (in TOML's sorted key order) that `allowed` does not list, suggesting the
    /// closest allowed key.
    func checkKeys(_ allowed: [String], in tableName: String) throws(ConfigurationError) {
        for key in table.keys {
            guard table[key] != nil else {
                // A key with a NUL escape comes back truncated and cannot be looked up.
                throw error(.invalidValue, at: path.key(key), "keys cannot contain NUL characters")
            }
            guard allowed.contains(key) else {
                let hint = KeySuggestion.hint(for: key, in: allowed)
                throw error(
                    .unknownKey,
                    at: path.key(key),
                    "unknown key\(hint) (\(tableName) allows: \(allowed.joined(separator: ", ")))"
                )
            }
        }
    }

    /// Member keys in TOML's (sorted) order, for tables whose keys are names (profiles, env).
    func memberKeys() throws(ConfigurationError) -> [String] {
        let keys = table.keys
        for key in keys where table[key] == nil {
            throw error(.invalidValue, at: path.key(key), "keys cannot contain NUL characters")
        }
        return keys
    }

    func value(_ key: String) -> TOMLValue? {
        table[key]?.tomlValue
    }

    // MARK: Scalars

    func string(_ key: String, expected: String = "a string") throws(ConfigurationError) -> String? {
        guard let value = value(key) else { return nil }
        return try Self.string(value, at: path.key(key), expected: expected, reader: self)
    }

    /// A string that must not be empty or only spaces.
    func nonEmptyString(_ key: String, expected: String) throws(ConfigurationError) -> String? {
        guard let value = value(key), let text = try string(key, expected: expected) else { return nil }
        if text.allSatisfy(\.isWhitespace) {
            throw invalid(at: path.key(key), expected: expected, got: value, "it is empty")
        }
        return text
    }

    func integer(_ key: String, in range: ClosedRange<Int>, expected: String) throws(ConfigurationError) -> Int? {
        guard let value = value(key) else { return nil }
        guard value.type == .int, let number = value.int else {
            throw wrongType(at: path.key(key), expected: expected, got: value)
        }
        guard range.contains(number) else {
            throw invalid(at: path.key(key), expected: expected, got: value)
        }
        return number
    }

    /// A duration: a string `DurationText` reads ("20m", "1h30m", "90s") or a number of seconds. It must
    /// be above zero and at most 30 days (larger values are surely mistakes and overflow timers).
    func duration(_ key: String) throws(ConfigurationError) -> Double? {
        guard let value = value(key) else { return nil }
        let expected = "a duration like \"20m\" or a number of seconds"
        let seconds: Double?
        switch value.type {
        case .string: seconds = DurationText.seconds(value.string ?? "")
        case .int: seconds = value.int.map(Double.init)
        case .double: seconds = value.double
        default: throw wrongType(at: path.key(key), expected: expected, got: value)
        }
        guard let seconds, seconds.isFinite, seconds >= 0 else {
            throw invalid(at: path.key(key), expected: expected, got: value)
        }
        guard seconds > 0 else {
            throw invalid(at: path.key(key), expected: expected, got: value, "it must be more than zero")
        }
        guard seconds <= Self.maximumDuration else {
            throw invalid(at: path.key(key), expected: expected, got: value, "it must be at most 30 days")
        }
        return seconds
    }

    static let maximumDuration: Double = 30 * 86400

    /// One of `choices` (an enum's raw values), with a suggestion when the value is close to one.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, as _: T.Type) throws(ConfigurationError) -> T?
    where T.RawValue == String {
        guard let value = value(key) else { return nil }
        let allowed = T.allCases.map(\.rawValue)
        let expected = "one of " + allowed.map { ConfigValueText.quoted($0) }.joined(separator: ", ")
        let text = try Self.string(value, at: path.key(key), expected: expected, reader: self)
        guard let choice = T(rawValue: text) else {
            throw error(
                .invalidValue,
                at: path.key(key),
                "expected \(expected), got \(ConfigValueText.quoted(text))\(KeySuggestion.hint(for: text, in: allowed))"
            )
        }
        return choice
    }

    // MARK: Arrays and tables

    /// An array of strings, each with its own key path (`include[2]`).
    func stringArray(
        _ key: String,
        element: String
    ) throws(ConfigurationError) -> [(text: String, path: ConfigKeyPath)]? {
        guard let value = value(key) else { return nil }
        guard value.type == .array, let array = value.array else {
            var error = wrongType(at: path.key(key), expected: "an array of \(element)s", got: value)
            if let text = value.string {
                error.message += "; write it as an array: \(key) = [\(ConfigValueText.quoted(text))]"
            }
            throw error
        }
        var out: [(text: String, path: ConfigKeyPath)] = []
        for index in 0..<array.count {
            let elementPath = path.key(key).index(index)
            let text = try Self.string(
                array[index].tomlValue,
                at: elementPath,
                expected: "a string (\(element))",
                reader: self
            )
            out.append((text, elementPath))
        }
        return out
    }

    /// An array of globs. `required` makes absence an error; an empty array is an error unless
    /// `allowEmpty`.
    func globs(
        _ key: String,
        required: Bool,
        allowEmpty: Bool = false,
        example: String
    ) throws(ConfigurationError)
        -> [Glob]?
    {
        guard let entries = try stringArray(key, element: "glob") else {
            if required {
                throw missing(key, "expected an array of globs relative to the suite root, e.g. \(key) = \(example)")
            }
            return nil
        }
        if entries.isEmpty && !allowEmpty {
            throw error(
                .invalidValue,
                at: path.key(key),
                "expected at least one glob, e.g. \(key) = \(example), got an empty array"
            )
        }
        var globs: [Glob] = []
        for entry in entries {
            do {
                globs.append(try Glob(entry.text))
            } catch {
                throw self.error(
                    .invalidValue,
                    at: entry.path,
                    "expected a glob relative to the suite root, got \(ConfigValueText.quoted(entry.text)): \(error.reason)"
                )
            }
        }
        return globs
    }

    /// A regular expression (ICU syntax), compiled now.
    func regex(_ key: String, owner: String) throws(ConfigurationError) -> ConfiguredRegex? {
        guard let text = try string(key, expected: "a string (a regular expression)") else { return nil }
        return try Self.regex(text, at: path.key(key), owner: owner, reader: self)
    }

    static func regex(
        _ text: String,
        at path: ConfigKeyPath,
        owner: String,
        reader: TOMLTableReader
    )
        throws(ConfigurationError) -> ConfiguredRegex
    {
        let expected = "\(owner)expected a regular expression (ICU syntax)"
        if text.isEmpty {
            throw reader.error(.invalidValue, at: path, "\(expected), got \"\": an empty pattern matches everything")
        }
        do {
            return try ConfiguredRegex(text)
        } catch {
            throw reader.error(
                .invalidValue,
                at: path,
                "\(expected), got \(ConfigValueText.quoted(text)): \(error.reason)"
            )
        }
    }

    /// A table of string → string (environment variables): names must be usable as variable names.
    func environment(_ key: String) throws(ConfigurationError) -> [String: String]? {
        guard
            let sub = try subtable(
                key,
                expected: "a table of environment variables, e.g. \(key) = { NAME = \"value\" }"
            )
        else { return nil }
        var env: [String: String] = [:]
        for name in try sub.memberKeys() {
            let namePath = sub.path.key(name)
            if name.isEmpty || name.contains("=") || name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                throw error(
                    .invalidValue,
                    at: namePath,
                    "expected an environment variable name (not empty, no '=' or control characters), got \(ConfigValueText.quoted(name))"
                )
            }
            guard let value = sub.value(name) else { continue }
            env[name] = try Self.string(value, at: namePath, expected: "a string (the variable's value)", reader: self)
        }
        return env
    }

    /// A sub-table (`[suite]`, `[profile.x]`, an inline table).
    func subtable(_ key: String, expected: String) throws(ConfigurationError) -> TOMLTableReader? {
        guard let value = value(key) else { return nil }
        guard value.type == .table, let table = value.table else {
            throw wrongType(at: path.key(key), expected: expected, got: value)
        }
        return TOMLTableReader(table: table, path: path.key(key), file: file)
    }

    /// An array of tables (`[[area]]`).
    func tableArray(_ key: String) throws(ConfigurationError) -> [TOMLTableReader]? {
        guard let value = value(key) else { return nil }
        let expected = "an array of tables (one [[\(key)]] section per entry)"
        guard value.type == .array, let array = value.array else {
            throw wrongType(at: path.key(key), expected: expected, got: value)
        }
        var out: [TOMLTableReader] = []
        for index in 0..<array.count {
            let element = array[index].tomlValue
            guard element.type == .table, let table = element.table else {
                throw wrongType(at: path.key(key).index(index), expected: "a table", got: element)
            }
            out.append(TOMLTableReader(table: table, path: path.key(key).index(index), file: file))
        }
        return out
    }

    static func string(
        _ value: TOMLValue,
        at path: ConfigKeyPath,
        expected: String,
        reader: TOMLTableReader
    )
        throws(ConfigurationError) -> String
    {
        guard value.type == .string, let text = value.string else {
            throw reader.wrongType(at: path, expected: expected, got: value)
        }
        return text
    }
}
