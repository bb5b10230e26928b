import Foundation
import TOMLKit
import TestShardModel

/// Turns config text into a checked `SuiteConfiguration`. Pure: the text, the file name for messages and
/// the suite root come in; nothing is read from disk.
///
/// Order of checks inside each table: unknown keys first (a misspelt key is the likeliest reason a
/// required one looks missing), then each value, then rules across values (heartbeat below lease).
struct ConfigurationDecoder {
    /// The file name used in messages.
    let file: String
    /// The suite root, used for defaults (the suite name) and to resolve TLS paths.
    let root: String
    /// Whether the schema sits under `[tool.testshard]` of a pyproject.toml.
    let pyproject: Bool

    static let topLevelKeys = [
        "suite", "coordinator", "area", "category", "profile", "affects", "triage_rule", "quarantine", "report", "tls",
    ]

    func decode(_ text: String) throws(ConfigurationError) -> SuiteConfiguration {
        let document = try parseDocument(text)
        let top = try schemaTable(in: document)
        try top.checkKeys(Self.topLevelKeys, in: pyproject ? "[tool.testshard]" : "the top level")

        var configuration = try decodeSuite(top)
        configuration.coordinator = try decodeCoordinator(top)
        configuration.areas = try decodeAreas(top)
        configuration.categories = try decodeCategories(top)
        configuration.profiles = try decodeProfiles(top)
        configuration.affects = try decodeAffects(top)
        configuration.triageRules = try decodeTriageRules(top)
        configuration.quarantine = try decodeQuarantine(top)
        configuration.report = try decodeReport(top)
        configuration.tls = try decodeTLS(top)
        return configuration
    }

    // MARK: - Document

    private func parseDocument(_ text: String) throws(ConfigurationError) -> TOMLTable {
        // TOMLKit hands the text to C as a NUL-terminated string: anything after a NUL would be
        // silently dropped, so refuse it here with its position.
        if let nul = text.firstIndex(of: "\0") {
            let before = text[..<nul]
            let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let column =
                before.distance(
                    from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex,
                    to: nul
                ) + 1
            throw ConfigurationError(
                code: .syntax,
                file: file,
                line: line,
                column: column,
                message: "invalid TOML: the text contains a NUL character"
            )
        }
        if let position = TOMLCrashGuard.firstCrash(in: text) {
            throw ConfigurationError(
                code: .syntax,
                file: file,
                line: position.line,
                column: position.column,
                message: "invalid TOML: \(position.reason)"
            )
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            // The commonest case: a regex in a double-quoted string, where `\d` is an escape.
            let hint =
                error.description.contains("escape sequence")
                ? "; write regular expressions in single quotes ('\\d+') or double each backslash" : ""
            throw ConfigurationError(
                code: .syntax,
                file: file,
                line: error.source.begin.line,
                column: error.source.begin.column,
                message: "invalid TOML: \(error.description)\(hint)"
            )
        } catch {
            throw ConfigurationError(code: .syntax, file: file, message: "invalid TOML: \(error)")
        }
    }

    private func schemaTable(in document: TOMLTable) throws(ConfigurationError) -> TOMLTableReader {
        let whole = TOMLTableReader(table: document, path: .root, file: file)
        guard pyproject else { return whole }
        let absent = ConfigurationError(
            code: .missingKey,
            file: file,
            key: "tool.testshard",
            message: "this pyproject.toml has no [tool.testshard] table; add one, or put the config in testshard.toml"
        )
        guard let tool = try whole.subtable("tool", expected: "a table ([tool.*] sections)") else { throw absent }
        guard let testshard = try tool.subtable("testshard", expected: "a table ([tool.testshard])") else {
            throw absent
        }
        return testshard
    }

    // MARK: - [suite]

    private func decodeSuite(_ top: TOMLTableReader) throws(ConfigurationError) -> SuiteConfiguration {
        let empty = TOMLTableReader(table: TOMLTable(), path: top.path.key("suite"), file: file)
        let suite = try top.subtable("suite", expected: "a table ([suite])") ?? empty
        try suite.checkKeys(
            ["name", "runner", "include", "exclude", "command", "shard_timeout", "retries", "env"],
            in: "[suite]"
        )

        let runner = try suite.choice("runner", as: RunnerKind.self) ?? .pytest
        let name = try suite.nonEmptyString("name", expected: "a string (the suite's name)") ?? defaultName()

        let include: [Glob]
        if let given = try suite.globs("include", required: false, example: "[\"tests/**/test_*.py\"]") {
            include = given
        } else if let defaults = runner.defaultInclude {
            include = defaults.compactMap { try? Glob($0) }
        } else {
            throw suite.missing(
                "include",
                "runner \"\(runner.rawValue)\" has no default test files; list them as globs, e.g. include = [\"Tests/**/*Tests.swift\"]"
            )
        }
        let exclude =
            try suite.globs("exclude", required: false, allowEmpty: true, example: "[\"tests/slow/**\"]") ?? []

        let command: CommandTemplate
        let commandExpectation = "a test command containing {files} or {items_file}"
        if let text = try suite.string("command", expected: "a string (\(commandExpectation))") {
            do {
                command = try CommandTemplate(text)
            } catch {
                throw suite.error(
                    .invalidValue,
                    at: suite.path.key("command"),
                    "expected \(commandExpectation), got \(ConfigValueText.quoted(text)): \(error.reason)"
                )
            }
        } else if let text = runner.defaultCommand, let template = try? CommandTemplate(text) {
            command = template
        } else {
            throw suite.missing(
                "command",
                "runner \"\(runner.rawValue)\" has no default command; give one containing {files} or {items_file}, e.g. command = \"./run-tests --junit {junit} {files}\""
            )
        }

        return SuiteConfiguration(
            file: file,
            root: root,
            isPyproject: pyproject,
            name: name,
            runner: runner,
            include: include,
            exclude: exclude,
            command: command,
            shardTimeoutSeconds: try suite.duration("shard_timeout") ?? 1200,
            retries: try suite.integer("retries", in: 0...100, expected: "an integer from 0 to 100") ?? 1,
            env: try suite.environment("env") ?? [:]
        )
    }

    private func defaultName() -> String {
        let last = root.split(separator: "/").last.map(String.init) ?? ""
        return last.isEmpty ? "suite" : last
    }

    // MARK: - [coordinator]

    private func decodeCoordinator(_ top: TOMLTableReader) throws(ConfigurationError) -> CoordinatorConfiguration {
        guard let table = try top.subtable("coordinator", expected: "a table ([coordinator])") else {
            return .defaults
        }
        try table.checkKeys(["lease_timeout", "heartbeat_interval", "expect_workers_timeout"], in: "[coordinator]")
        let defaults = CoordinatorConfiguration.defaults
        let lease = try table.duration("lease_timeout") ?? defaults.leaseTimeoutSeconds
        let heartbeat = try table.duration("heartbeat_interval") ?? defaults.heartbeatIntervalSeconds
        if heartbeat >= lease {
            // Name the key the user most likely set; when both are set, the heartbeat is the one to lower.
            let blamed = table.value("heartbeat_interval") != nil ? "heartbeat_interval" : "lease_timeout"
            throw table.error(
                .invalidValue,
                at: table.path.key(blamed),
                "expected heartbeat_interval (\(DurationText.format(heartbeat))) below lease_timeout "
                    + "(\(DurationText.format(lease))): a worker must renew its lease before it runs out; "
                    + "lower heartbeat_interval or raise lease_timeout"
            )
        }
        return CoordinatorConfiguration(
            leaseTimeoutSeconds: lease,
            heartbeatIntervalSeconds: heartbeat,
            expectWorkersTimeoutSeconds: try table.duration("expect_workers_timeout")
                ?? defaults.expectWorkersTimeoutSeconds
        )
    }

    // MARK: - [[area]], [[category]]

    private func decodeAreas(_ top: TOMLTableReader) throws(ConfigurationError) -> [AreaConfiguration] {
        var ids = UniqueIDs(table: "area")
        var areas: [AreaConfiguration] = []
        for entry in try top.tableArray("area") ?? [] {
            try entry.checkKeys(["id", "criticality", "globs", "owner"], in: "[[area]]")
            let id = try ids.claim(in: entry, example: "\"payments\"")
            areas.append(
                AreaConfiguration(
                    id: id,
                    criticality: try entry.choice("criticality", as: AreaCriticality.self) ?? .normal,
                    globs: try entry.globs("globs", required: true, example: "[\"tests/payments/**\"]") ?? [],
                    owner: try entry.nonEmptyString("owner", expected: "a string (the owning team or person)")
                )
            )
        }
        return areas
    }

    private func decodeCategories(_ top: TOMLTableReader) throws(ConfigurationError) -> [CategoryConfiguration] {
        var ids = UniqueIDs(table: "category")
        var categories: [CategoryConfiguration] = []
        for entry in try top.tableArray("category") ?? [] {
            try entry.checkKeys(["id", "globs"], in: "[[category]]")
            let id = try ids.claim(in: entry, example: "\"unit\"")
            categories.append(
                CategoryConfiguration(
                    id: id,
                    globs: try entry.globs("globs", required: true, example: "[\"tests/unit/**\"]") ?? []
                )
            )
        }
        return categories
    }

    // MARK: - [profile.NAME]

    private func decodeProfiles(_ top: TOMLTableReader) throws(ConfigurationError) -> [ProfileConfiguration] {
        guard let table = try top.subtable("profile", expected: "a table of profiles ([profile.NAME] sections)")
        else { return [] }
        var profiles: [ProfileConfiguration] = []
        for name in try table.memberKeys() {
            guard
                let profile = try table.subtable(
                    name,
                    expected: "a table ([profile.\(ConfigKeyPath.render(key: name))] with options and env)"
                )
            else { continue }
            if name.allSatisfy(\.isWhitespace) || name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                throw table.error(
                    .invalidValue,
                    at: profile.path,
                    "expected a profile name (not empty, no control characters), got \(ConfigValueText.quoted(name))"
                )
            }
            try profile.checkKeys(["options", "env"], in: "[profile.NAME]")
            let options = try profile.stringArray("options", element: "runner option")?.map(\.text) ?? []
            profiles.append(
                ProfileConfiguration(name: name, options: options, env: try profile.environment("env") ?? [:])
            )
        }
        return profiles.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    // MARK: - [[affects]]

    private func decodeAffects(_ top: TOMLTableReader) throws(ConfigurationError) -> [AffectsConfiguration] {
        var rules: [AffectsConfiguration] = []
        for entry in try top.tableArray("affects") ?? [] {
            try entry.checkKeys(["sources", "tests"], in: "[[affects]]")
            rules.append(
                AffectsConfiguration(
                    sources: try entry.globs("sources", required: true, example: "[\"src/payments/**\"]") ?? [],
                    tests: try entry.globs("tests", required: true, example: "[\"tests/payments/**\"]") ?? []
                )
            )
        }
        return rules
    }

    // MARK: - [[triage_rule]]

    private func decodeTriageRules(_ top: TOMLTableReader) throws(ConfigurationError) -> [TriageRuleConfiguration] {
        var ids = UniqueIDs(table: "triage_rule")
        var rules: [TriageRuleConfiguration] = []
        for entry in try top.tableArray("triage_rule") ?? [] {
            try entry.checkKeys(
                ["id", "category", "message", "type", "exit_kind", "action", "severity_floor"],
                in: "[[triage_rule]]"
            )
            let id = try ids.claim(in: entry, example: "\"infra.docker.start\"")
            let owner = "rule \(ConfigValueText.quoted(id)): "
            guard let category = try entry.choice("category", as: TriageCategory.self) else {
                let allowed = TriageCategory.allCases.map { ConfigValueText.quoted($0.rawValue) }
                throw entry.missing("category", "\(owner)expected one of \(allowed.joined(separator: ", "))")
            }
            let rule = TriageRuleConfiguration(
                id: id,
                category: category,
                message: try entry.regex("message", owner: owner),
                type: try entry.regex("type", owner: owner),
                exitKind: try entry.choice("exit_kind", as: ShardExitKind.self),
                action: try entry.nonEmptyString("action", expected: "a string (what the gardener should do)"),
                severityFloor: try entry.choice("severity_floor", as: TriageSeverity.self)
            )
            if rule.message == nil && rule.type == nil && rule.exitKind == nil {
                throw ConfigurationError(
                    code: .missingKey,
                    file: file,
                    key: entry.path.description,
                    message: "\(owner)matches nothing; set at least one of message (a regex on the error message), "
                        + "type (a regex on the exception type) or exit_kind"
                )
            }
            rules.append(rule)
        }
        return rules
    }

    // MARK: - [[quarantine]]

    private func decodeQuarantine(_ top: TOMLTableReader) throws(ConfigurationError) -> [QuarantineConfiguration] {
        var ids = UniqueIDs(table: "quarantine")
        var entries: [QuarantineConfiguration] = []
        for entry in try top.tableArray("quarantine") ?? [] {
            try entry.checkKeys(["id", "reason", "expires"], in: "[[quarantine]]")
            let id = try ids.claim(
                in: entry,
                example: "\"tests/test_chat.py\" or \"tests/test_chat.py::test_reconnect\"",
                expected: "a test file path or a path::test node id, relative to the suite root"
            )
            if id.hasPrefix("/") {
                throw entry.error(
                    .invalidValue,
                    at: entry.path.key("id"),
                    "expected a path relative to the suite root, got \(ConfigValueText.quoted(id)); remove the leading '/'"
                )
            }
            guard let reason = try entry.nonEmptyString("reason", expected: "a string (why it is quarantined)") else {
                throw entry.missing("reason", "say why it is quarantined, e.g. reason = \"flaky: JIRA-123\"")
            }
            entries.append(QuarantineConfiguration(id: id, reason: reason, expires: try expiry(entry)))
        }
        return entries
    }

    private func expiry(_ entry: TOMLTableReader) throws(ConfigurationError) -> CalendarDate? {
        guard let value = entry.value("expires") else { return nil }
        let expected = "a date like \"2025-03-01\" (YYYY-MM-DD)"
        let date: CalendarDate?
        switch value.type {
        case .string: date = CalendarDate(value.string ?? "")
        case .date: date = value.date.flatMap { CalendarDate(year: $0.year, month: $0.month, day: $0.day) }
        default: throw entry.wrongType(at: entry.path.key("expires"), expected: expected, got: value)
        }
        guard let date else { throw entry.invalid(at: entry.path.key("expires"), expected: expected, got: value) }
        return date
    }

    // MARK: - [report]

    private func decodeReport(_ top: TOMLTableReader) throws(ConfigurationError) -> ReportConfiguration {
        guard let table = try top.subtable("report", expected: "a table ([report])") else { return .defaults }
        try table.checkKeys(["masks", "flaky_window"], in: "[report]")
        var masks: [ConfiguredRegex] = []
        for entry in try table.stringArray("masks", element: "regular expression") ?? [] {
            let mask = try TOMLTableReader.regex(entry.text, at: entry.path, owner: "", reader: table)
            if mask.captureGroupCount != 1 {
                throw table.error(
                    .invalidValue,
                    at: entry.path,
                    "expected a regular expression with exactly one capture group (the part replaced by <*>), "
                        + "got \(ConfigValueText.quoted(entry.text)) with \(mask.captureGroupCount) capture groups; "
                        + "use (?:...) for groups that only group"
                )
            }
            masks.append(mask)
        }
        return ReportConfiguration(
            masks: masks,
            flakyWindow: try table.integer("flaky_window", in: 1...1000, expected: "an integer from 1 to 1000")
                ?? ReportConfiguration.defaults.flakyWindow
        )
    }

    // MARK: - [tls]

    private func decodeTLS(_ top: TOMLTableReader) throws(ConfigurationError) -> TLSFilesConfiguration? {
        guard let table = try top.subtable("tls", expected: "a table ([tls])") else { return nil }
        let keys = ["ca_file", "cert_file", "key_file"]
        try table.checkKeys(keys, in: "[tls]")
        var paths: [String: String] = [:]
        for key in keys {
            paths[key] = try table.nonEmptyString(key, expected: "a string (a path to a PEM file)")
        }
        if paths.isEmpty { return nil }
        for key in keys where paths[key] == nil {
            throw table.missing(key, "[tls] needs all of ca_file, cert_file and key_file (mutual TLS), or none of them")
        }
        return TLSFilesConfiguration(
            caFile: resolve(paths["ca_file"] ?? ""),
            certFile: resolve(paths["cert_file"] ?? ""),
            keyFile: resolve(paths["key_file"] ?? "")
        )
    }

    private func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (root.hasSuffix("/") ? root : root + "/") + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }
}

/// Collects ids of one `[[table]]` and rejects a missing, empty or repeated one.
private struct UniqueIDs {
    let table: String
    private var seen: [String: Int] = [:]

    init(table: String) { self.table = table }

    mutating func claim(
        in entry: TOMLTableReader,
        example: String,
        expected: String = "a unique string id"
    ) throws(ConfigurationError) -> String {
        guard let id = try entry.nonEmptyString("id", expected: "a string (\(expected))") else {
            throw entry.missing("id", "every [[\(table)]] needs \(expected), e.g. id = \(example)")
        }
        if id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw entry.error(
                .invalidValue,
                at: entry.path.key("id"),
                "expected \(expected) without control characters, got \(ConfigValueText.quoted(id))"
            )
        }
        let index = seen.count
        if let first = seen[id] {
            throw entry.error(
                .duplicateID,
                at: entry.path.key("id"),
                "duplicate id \(ConfigValueText.quoted(id)): \(table)[\(first)] already uses it; ids must be unique"
            )
        }
        seen[id] = index
        return id
    }
}
