import Testing

@testable import TestShardConfig

/// Every way a config can be wrong, and what the user is told: the file, the key, what was expected and
/// the offending value.
@Suite struct SuiteConfigurationErrorTests {
    func failure(_ text: String, file: String = "testshard.toml", pyproject: Bool = false) -> ConfigurationError? {
        do {
            _ = try SuiteConfiguration.parse(text, file: file, root: "/srv/suite", pyproject: pyproject)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - The description format

    @Test func durationErrorReadsAsTheContractSays() throws {
        let error = try #require(failure("[suite]\nshard_timeout = \"5x\""))
        #expect(error.code == .invalidValue)
        #expect(error.file == "testshard.toml")
        #expect(error.key == "suite.shard_timeout")
        #expect(
            error.description
                == #"testshard.toml: suite.shard_timeout: expected a duration like "20m" or a number of seconds, got "5x""#
        )
    }

    @Test func theFileIsNamedAsGiven() throws {
        let error = try #require(failure("[suite]\nretries = -1", file: "ci/suites/api/testshard.toml"))
        #expect(error.description.hasPrefix("ci/suites/api/testshard.toml: suite.retries: "))
    }

    // MARK: - syntax

    @Test func syntaxErrorKeepsLineAndColumn() throws {
        let error = try #require(failure("[suite]\nname = \"x\"\nretries = = 2\n"))
        #expect(error.code == .syntax)
        #expect(error.line == 3)
        #expect(error.column == 11)
        #expect(error.key == nil)
        #expect(error.description.hasPrefix("testshard.toml:3:11: invalid TOML: "))
    }

    @Test func unclosedTableHeaderIsASyntaxError() throws {
        let error = try #require(failure("[suite\nname = 1"))
        #expect(error.code == .syntax)
        #expect(error.line == 1)
        #expect(error.message.contains("expected ']'"))
    }

    @Test func aRegexInDoubleQuotesGetsAHint() throws {
        let error = try #require(
            failure("[[triage_rule]]\nid = \"r\"\ncategory = \"product\"\nmessage = \"\\d+ failed\"")
        )
        #expect(error.code == .syntax)
        #expect(error.line == 4)
        #expect(error.message.contains("escape sequence"))
        #expect(error.message.contains("write regular expressions in single quotes"))
    }

    @Test func nulCharacterIsRefusedWithItsPosition() throws {
        let error = try #require(failure("[suite]\nname = \"a\0b\""))
        #expect(error.code == .syntax)
        #expect(error.line == 2)
        #expect(error.column == 10)
        #expect(error.message.contains("NUL"))
    }

    // MARK: - unknownKey

    @Test(arguments: [
        ("[suite]\nshard-timeout = \"5m\"", "suite.shard-timeout", "shard_timeout"),
        ("[suite]\ntimout = \"5m\"", "suite.timout", "shard_timeout"),
        ("[suites]\nname = \"x\"", "suites", "suite"),
        ("[[rule]]\nid = \"x\"", "rule", "triage_rule"),
        ("[[area]]\nid = \"a\"\nglobs = [\"a/**\"]\ncriticallity = \"high\"", "area[0].criticallity", "criticality"),
        ("[report]\nmask = []", "report.mask", "masks"),
    ])
    func unknownKeySuggestsTheClosestAllowedKey(_ text: String, _ key: String, _ suggestion: String) throws {
        let error = try #require(failure(text))
        #expect(error.code == .unknownKey)
        #expect(error.key == key)
        #expect(error.message.contains("did you mean \"\(suggestion)\"?"))
    }

    @Test func unknownKeyWithNothingCloseListsWhatIsAllowed() throws {
        let error = try #require(failure("[coordinator]\nbanana = 1"))
        #expect(error.code == .unknownKey)
        #expect(!error.message.contains("did you mean"))
        #expect(
            error.message.contains("[coordinator] allows: lease_timeout, heartbeat_interval, expect_workers_timeout")
        )
    }

    // MARK: - wrongType

    @Test func wrongTypeNamesBothTypesAndTheValue() throws {
        let error = try #require(failure("[suite]\nretries = 1.5"))
        #expect(error.code == .wrongType)
        #expect(error.key == "suite.retries")
        #expect(error.message == "expected an integer from 0 to 100, got a float: 1.5")
    }

    @Test func stringWhereAnArrayBelongsShowsTheFix() throws {
        let error = try #require(failure("[suite]\ninclude = \"tests/**\""))
        #expect(error.code == .wrongType)
        #expect(
            error.message
                == #"expected an array of globs, got a string: "tests/**"; write it as an array: include = ["tests/**"]"#
        )
    }

    @Test func wrongTypeInsideAnArrayNamesTheElement() throws {
        let error = try #require(failure("[suite]\ninclude = [\"tests/**\", 3]"))
        #expect(error.key == "suite.include[1]")
        #expect(error.message == "expected a string (glob), got an integer: 3")
    }

    @Test func singleTableWhereEntriesBelongSaysToUseDoubleBrackets() throws {
        let error = try #require(failure("[area]\nid = \"x\""))
        #expect(error.code == .wrongType)
        #expect(error.key == "area")
        #expect(error.message.contains("one [[area]] section per entry"))
        #expect(error.message.contains("got a table"))
    }

    @Test func wrongTypeForADurationAndAnEnvironmentValue() throws {
        let duration = try #require(failure("[suite]\nshard_timeout = true"))
        #expect(duration.code == .wrongType)
        #expect(duration.message.hasSuffix("got a boolean: true"))
        let env = try #require(failure("[suite]\nenv = { PORT = 8080 }"))
        #expect(env.key == "suite.env.PORT")
        #expect(env.message == "expected a string (the variable's value), got an integer: 8080")
    }

    // MARK: - invalidValue

    @Test func badGlobSaysWhatIsWrongWithIt() throws {
        let absolute = try #require(failure("[suite]\ninclude = [\"/abs/**\"]"))
        #expect(absolute.code == .invalidValue)
        #expect(absolute.key == "suite.include[0]")
        #expect(absolute.message.contains(#"got "/abs/**""#))
        #expect(absolute.message.contains("remove the leading '/'"))

        let globstar = try #require(failure("[[area]]\nid = \"a\"\nglobs = [\"tests/**\", \"tests/a**b\"]"))
        #expect(globstar.key == "area[0].globs[1]")
        #expect(globstar.message.contains("'**' must be a whole path segment"))
    }

    @Test func commandWithoutFilesOrItemsFileIsRefused() throws {
        let error = try #require(failure("[suite]\ncommand = \"python3 -m pytest -q\""))
        #expect(error.code == .invalidValue)
        #expect(error.key == "suite.command")
        #expect(error.message.contains("expected a test command containing {files} or {items_file}"))
        #expect(error.message.contains(#"got "python3 -m pytest -q""#))
    }

    @Test func badRegexNamesTheRuleAndTheKey() throws {
        let error = try #require(
            failure(
                "[[triage_rule]]\nid = \"infra.docker\"\ncategory = \"infrastructure\"\nmessage = \"Docker (daemon\""
            )
        )
        #expect(error.code == .invalidValue)
        #expect(error.key == "triage_rule[0].message")
        #expect(error.message.contains(#"rule "infra.docker""#))
        #expect(error.message.contains(#"got "Docker (daemon""#))
        #expect(error.message.contains("expected ')'"))
    }

    @Test func badRegexInTheTypeKeyIsNamedToo() throws {
        let error = try #require(failure("[[triage_rule]]\nid = \"r\"\ncategory = \"product\"\ntype = \"*Error\""))
        #expect(error.key == "triage_rule[0].type")
    }

    @Test func maskNeedsExactlyOneCaptureGroup() throws {
        for (pattern, groups) in [(#"\\d+"#, 0), ("(a)(b)", 2)] {
            let error = try #require(
                failure(
                    "[report]\nmasks = [\"x\", \"\(pattern)\"]".replacingOccurrences(of: "\"x\"", with: "'id=(\\d+)'")
                )
            )
            #expect(error.code == .invalidValue)
            #expect(error.key == "report.masks[1]")
            #expect(error.message.contains("exactly one capture group"))
            #expect(error.message.contains("with \(groups) capture groups"))
        }
    }

    @Test func heartbeatMustBeBelowTheLease() throws {
        let error = try #require(failure("[coordinator]\nlease_timeout = \"20s\"\nheartbeat_interval = \"20s\""))
        #expect(error.code == .invalidValue)
        #expect(error.key == "coordinator.heartbeat_interval")
        #expect(error.message.contains("below lease_timeout (20s)"))
        #expect(error.message.contains("heartbeat_interval (20s)"))
    }

    @Test func aShortLeaseAloneIsBlamedOnTheLease() throws {
        let error = try #require(failure("[coordinator]\nlease_timeout = \"3s\""))
        #expect(error.key == "coordinator.lease_timeout")
        #expect(error.message.contains("heartbeat_interval (5s) below lease_timeout (3s)"))
    }

    @Test(arguments: [
        ("[suite]\nshard_timeout = 0", "suite.shard_timeout", "more than zero"),
        ("[suite]\nshard_timeout = \"-5m\"", "suite.shard_timeout", "got \"-5m\""),
        ("[suite]\nshard_timeout = nan", "suite.shard_timeout", "got nan"),
        ("[suite]\nshard_timeout = \"400d\"", "suite.shard_timeout", "at most 30 days"),
        ("[suite]\nretries = -1", "suite.retries", "got -1"),
        ("[suite]\nrunner = \"pyest\"", "suite.runner", "did you mean \"pytest\"?"),
        ("[suite]\nname = \"  \"", "suite.name", "it is empty"),
        ("[suite]\nenv = { \"A=B\" = \"1\" }", "suite.env.\"A=B\"", "environment variable name"),
        (
            "[[area]]\nid = \"a\"\nglobs = [\"a/**\"]\ncriticality = \"Critical\"", "area[0].criticality",
            "did you mean \"critical\"?"
        ),
        ("[[area]]\nid = \"a\"\nglobs = []", "area[0].globs", "at least one glob"),
        (
            "[[triage_rule]]\nid = \"r\"\ncategory = \"prodct\"\nmessage = \"x\"", "triage_rule[0].category",
            "did you mean \"product\"?"
        ),
        (
            "[[triage_rule]]\nid = \"r\"\ncategory = \"product\"\nexit_kind = \"timeot\"", "triage_rule[0].exit_kind",
            "did you mean \"timeout\"?"
        ),
        (
            "[[triage_rule]]\nid = \"r\"\ncategory = \"product\"\nexit_kind = \"ok\"\nseverity_floor = \"high\"",
            "triage_rule[0].severity_floor", "did you mean \"HIGH\"?"
        ),
        (
            "[[quarantine]]\nid = \"tests/a.py\"\nreason = \"x\"\nexpires = \"2025-02-30\"", "quarantine[0].expires",
            "got \"2025-02-30\""
        ),
        ("[[quarantine]]\nid = \"/tests/a.py\"\nreason = \"x\"", "quarantine[0].id", "relative to the suite root"),
        ("[report]\nflaky_window = 0", "report.flaky_window", "from 1 to 1000"),
        ("[profile.\"\"]\noptions = []", "profile.\"\"", "expected a profile name"),
    ])
    func invalidValues(_ text: String, _ key: String, _ fragment: String) throws {
        let error = try #require(failure(text))
        #expect(error.code == .invalidValue)
        #expect(error.key == key)
        #expect(error.message.contains(fragment))
    }

    // MARK: - missingKey

    @Test(arguments: [
        ("[[area]]\nid = \"chat\"", "area[0].globs", "e.g. globs = [\"tests/payments/**\"]"),
        ("[[area]]\nglobs = [\"a/**\"]", "area[0].id", "every [[area]] needs a unique string id"),
        ("[[category]]\nid = \"unit\"", "category[0].globs", "array of globs"),
        ("[[affects]]\nsources = [\"src/**\"]", "affects[0].tests", "array of globs"),
        ("[suite]\nrunner = \"junit\"", "suite.include", "runner \"junit\" has no default test files"),
        (
            "[suite]\nrunner = \"junit\"\ninclude = [\"t/**\"]", "suite.command",
            "runner \"junit\" has no default command"
        ),
        (
            "[[triage_rule]]\nid = \"r\"\nmessage = \"x\"", "triage_rule[0].category",
            "expected one of \"infrastructure\""
        ),
        ("[[triage_rule]]\nid = \"r\"\ncategory = \"product\"", "triage_rule[0]", "set at least one of message"),
        ("[[quarantine]]\nid = \"tests/a.py\"", "quarantine[0].reason", "why it is quarantined"),
        ("[tls]\nca_file = \"ca.pem\"", "tls.cert_file", "all of ca_file, cert_file and key_file"),
    ])
    func missingKeys(_ text: String, _ key: String, _ fragment: String) throws {
        let error = try #require(failure(text))
        #expect(error.code == .missingKey)
        #expect(error.key == key)
        #expect(error.message.contains(fragment))
    }

    @Test func pyprojectWithoutTheTableSaysSo() throws {
        let error = try #require(failure("[project]\nname = \"x\"", file: "pyproject.toml", pyproject: true))
        #expect(error.code == .missingKey)
        #expect(error.key == "tool.testshard")
        #expect(
            error.description.hasPrefix("pyproject.toml: tool.testshard: this pyproject.toml has no [tool.testshard]")
        )
    }

    // MARK: - duplicateID

    @Test(arguments: ["area", "category"])
    func duplicateIDsNameBothEntries(_ table: String) throws {
        let error = try #require(
            failure(
                """
                [[\(table)]]
                id = "chat"
                globs = ["tests/chat/**"]
                [[\(table)]]
                id = "search"
                globs = ["tests/search/**"]
                [[\(table)]]
                id = "chat"
                globs = ["tests/ws/**"]
                """
            )
        )
        #expect(error.code == .duplicateID)
        #expect(error.key == "\(table)[2].id")
        #expect(error.message == "duplicate id \"chat\": \(table)[0] already uses it; ids must be unique")
    }

    @Test func duplicateTriageRuleAndQuarantineIDs() throws {
        let rules = try #require(
            failure(
                "[[triage_rule]]\nid = \"r\"\ncategory = \"product\"\ntype = \"X\"\n[[triage_rule]]\nid = \"r\"\ncategory = \"product\"\ntype = \"Y\""
            )
        )
        #expect(rules.code == .duplicateID)
        #expect(rules.key == "triage_rule[1].id")
        let quarantine = try #require(
            failure("[[quarantine]]\nid = \"t/a.py\"\nreason = \"x\"\n[[quarantine]]\nid = \"t/a.py\"\nreason = \"y\"")
        )
        #expect(quarantine.code == .duplicateID)
    }

    // MARK: - Hostile input never crashes

    @Test func oddInputsGiveErrorsNotCrashes() {
        let inputs = [
            "\"a\\u0000b\" = 1",
            String(repeating: "[", count: 10_000),
            String(repeating: "a = [", count: 2_000),
            "x = 99999999999999999999999",
            "[suite]\nshard_timeout = 1e400",
            "[suite]\nshard_timeout = \"99999999999999999999h\"",
            "[suite]\ninclude = [\"{a,{b}}\"]",
            "[suite]\ncommand = \"'unclosed {files}\"",
            "[suite]\nenv = [1, 2]",
            "[profile]\n\"a.b\" = { options = [1] }",
            "\u{FEFF}[suite]",
            "[[area]]\nid = \"\u{7}bell\"\nglobs = [\"a/**\"]",
            "[[quarantine]]\nid = \"t\"\nreason = \"r\"\nexpires = 12:00:00",
            // Shapes that crash toml++ itself (see TOMLCrashGuard).
            "[[`t=1",
            "a = [1, }",
        ]
        for input in inputs {
            // Each either parses or throws a ConfigurationError; anything else would crash the test.
            _ = failure(input)
        }
    }
}
