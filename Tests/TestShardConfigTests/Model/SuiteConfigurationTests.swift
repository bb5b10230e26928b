import TestShardModel
import Testing

@testable import TestShardConfig

/// Parsing of every table, with its defaults.
@Suite struct SuiteConfigurationTests {
    static let root = "/work/suites/chat-service"

    func parse(_ text: String, pyproject: Bool = false) throws -> SuiteConfiguration {
        try SuiteConfiguration.parse(
            text,
            file: pyproject ? "pyproject.toml" : "testshard.toml",
            root: Self.root,
            pyproject: pyproject
        )
    }

    @Test func emptyFileGivesThePytestDefaults() throws {
        let config = try parse("")
        #expect(config.name == "chat-service")
        #expect(config.root == Self.root)
        #expect(config.runner == .pytest)
        #expect(config.include.map(\.pattern) == ["tests/**/test_*.py", "tests/**/*_test.py"])
        #expect(config.exclude.isEmpty)
        #expect(
            config.command.text
                == "python3 -m pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml={junit} {files}"
        )
        #expect(config.shardTimeoutSeconds == 1200)
        #expect(config.retries == 1)
        #expect(config.env.isEmpty)
        #expect(config.coordinator == .defaults)
        #expect(config.coordinator.leaseTimeoutSeconds == 30)
        #expect(config.coordinator.heartbeatIntervalSeconds == 5)
        #expect(config.coordinator.expectWorkersTimeoutSeconds == 120)
        #expect(config.areas.isEmpty && config.categories.isEmpty && config.profiles.isEmpty)
        #expect(config.affects.isEmpty && config.triageRules.isEmpty && config.quarantine.isEmpty)
        #expect(config.report.flakyWindow == 30)
        #expect(config.report.masks.isEmpty)
        #expect(config.tls == nil)
        #expect(!config.isPyproject)
    }

    @Test func defaultPytestIncludeSelectsTestFilesOnly() throws {
        let files = try parse("").files
        #expect(files.matches("tests/test_a.py"))
        #expect(files.matches("tests/api/v2/users_test.py"))
        #expect(!files.matches("tests/conftest.py"))
        #expect(!files.matches("src/test_a.py"))
    }

    @Test func suiteTableIsRead() throws {
        let config = try parse(
            """
            [suite]
            name = "chat"
            runner = "pytest"
            include = ["tests/**/test_*.py", "it/**/*.py"]
            exclude = ["tests/slow/**"]
            command = "python3 -m pytest -x --junitxml={junit} {options} {files}"
            shard_timeout = "1h30m"
            retries = 0
            env = { PYTHONHASHSEED = "0", TZ = "UTC" }
            """
        )
        #expect(config.name == "chat")
        #expect(config.include.map(\.pattern) == ["tests/**/test_*.py", "it/**/*.py"])
        #expect(config.exclude.map(\.pattern) == ["tests/slow/**"])
        #expect(
            config.command.words == ["python3", "-m", "pytest", "-x", "--junitxml={junit}", "{options}", "{files}"]
        )
        #expect(config.shardTimeoutSeconds == 5400)
        #expect(config.retries == 0)
        #expect(config.env == ["PYTHONHASHSEED": "0", "TZ": "UTC"])
        #expect(!config.files.matches("tests/slow/test_big.py"))
        #expect(config.files.matches("tests/fast/test_small.py"))
    }

    @Test(arguments: [("90", 90.0), ("\"90s\"", 90), ("\"500ms\"", 0.5), ("2.5", 2.5), ("\"2m\"", 120)])
    func shardTimeoutTakesStringsAndNumbers(_ literal: String, _ seconds: Double) throws {
        #expect(try parse("[suite]\nshard_timeout = \(literal)").shardTimeoutSeconds == seconds)
    }

    @Test func nodeRunnerHasItsOwnDefaults() throws {
        let config = try parse("[suite]\nrunner = \"node\"")
        #expect(config.runner == .node)
        #expect(config.include.map(\.pattern) == ["test/**/*.test.js", "test/**/*.test.mjs"])
        #expect(
            config.command.text == "node --test --test-reporter=junit --test-reporter-destination={junit} {files}"
        )
    }

    @Test func swiftRunnerHasItsOwnDefaults() throws {
        let config = try parse("[suite]\nrunner = \"swift\"")
        #expect(config.include.map(\.pattern) == ["Tests/**/*.swift"])
        #expect(
            config.command.text == "swift test --skip-build --ignore-lock --parallel --xunit-output {junit} {files}"
        )
    }

    @Test func onlyTheGenericJUnitRunnerCannotRunOneTestOfAFile() {
        #expect(RunnerKind.allCases.filter { !$0.supportsTestItems } == [.junit])
    }

    @Test(arguments: ["swift", "junit"])
    func swiftAndJUnitRunnersTakeWhatTheyAreGiven(_ runner: String) throws {
        let config = try parse(
            """
            [suite]
            runner = "\(runner)"
            include = ["Tests/**/*Tests.swift"]
            command = "./run --xunit {junit} --items {items_file}"
            """
        )
        #expect(config.runner.rawValue == runner)
        #expect(config.command.usesItemsFile)
    }

    @Test func coordinatorTable() throws {
        let config = try parse(
            """
            [coordinator]
            lease_timeout = "1m"
            heartbeat_interval = 10
            expect_workers_timeout = "5m"
            """
        )
        #expect(
            config.coordinator
                == CoordinatorConfiguration(
                    leaseTimeoutSeconds: 60,
                    heartbeatIntervalSeconds: 10,
                    expectWorkersTimeoutSeconds: 300
                )
        )
    }

    @Test func areasKeepOrderAndDefaultToNormal() throws {
        let config = try parse(
            """
            [[area]]
            id = "payments"
            criticality = "critical"
            owner = "team-pay"
            globs = ["tests/payments/**", "tests/e2e/test_checkout*.py"]

            [[area]]
            id = "search"
            globs = ["tests/search/**"]
            """
        )
        #expect(config.areas.map(\.id) == ["payments", "search"])
        #expect(config.areas[0].criticality == .critical)
        #expect(config.areas[0].owner == "team-pay")
        #expect(config.areas[0].globs.map(\.pattern) == ["tests/payments/**", "tests/e2e/test_checkout*.py"])
        #expect(config.areas[1].criticality == .normal)
        #expect(config.areas[1].owner == nil)
    }

    @Test func categoriesProfilesAndAffects() throws {
        let config = try parse(
            """
            [[category]]
            id = "unit"
            globs = ["tests/unit/**"]

            [[category]]
            id = "api"
            globs = ["tests/api/**"]

            [profile.no-docker]
            options = ["-m", "not docker"]
            env = { USE_DOCKER = "0" }

            [profile.fast]

            [[affects]]
            sources = ["src/payments/**"]
            tests = ["tests/payments/**", "tests/e2e/test_checkout*.py"]
            """
        )
        #expect(config.categories.map(\.id) == ["unit", "api"])
        #expect(config.profiles.map(\.name) == ["fast", "no-docker"])
        #expect(
            config.profiles[1]
                == ProfileConfiguration(name: "no-docker", options: ["-m", "not docker"], env: ["USE_DOCKER": "0"])
        )
        #expect(config.profiles[0] == ProfileConfiguration(name: "fast"))
        #expect(config.affects.count == 1)
        #expect(config.affects[0].isTriggered(by: "src/payments/charge.py"))
        #expect(config.affects[0].tests.map(\.pattern) == ["tests/payments/**", "tests/e2e/test_checkout*.py"])
    }

    @Test func triageRulesFromTheReportAnchors() throws {
        let config = try parse(
            #"""
            [[triage_rule]]
            id = "infra.docker.start"
            category = "infrastructure"
            severity_floor = "HIGH"
            message = 'Failed to start Docker services|Cannot connect to the Docker daemon|error during connect'
            action = "Check docker daemon / compose on the worker; rerun affected shards"

            [[triage_rule]]
            id = "testinfra.config_drift"
            category = "test_infrastructure"
            type = "AttributeError"
            message = "'\\w*(Config|Settings)\\w*' object has no attribute '\\w+'"

            [[triage_rule]]
            id = "env.timeout.shard"
            category = "environment"
            exit_kind = "timeout"
            """#
        )
        #expect(config.triageRules.map(\.id) == ["infra.docker.start", "testinfra.config_drift", "env.timeout.shard"])
        let docker = config.triageRules[0]
        #expect(docker.category == .infrastructure)
        #expect(docker.severityFloor == .high)
        #expect(docker.action == "Check docker daemon / compose on the worker; rerun affected shards")
        #expect(docker.exitKind == nil && docker.type == nil)
        #expect(config.triageRules[1].category == .testInfrastructure)
        #expect(config.triageRules[1].type?.pattern == "AttributeError")
        #expect(config.triageRules[2].exitKind == .timeout)
        #expect(config.triageRules[2].message == nil)
    }

    @Test func quarantineEntries() throws {
        let config = try parse(
            """
            [[quarantine]]
            id = "tests/test_chat.py::test_reconnect"
            reason = "flaky: JIRA-123"
            expires = "2025-03-01"

            [[quarantine]]
            id = "tests/test_legacy.py"
            reason = "being rewritten"
            expires = 2025-06-30

            [[quarantine]]
            id = "tests/test_forever.py"
            reason = "known broken on CI hosts"
            """
        )
        #expect(
            config.quarantine.map(\.id) == [
                "tests/test_chat.py::test_reconnect", "tests/test_legacy.py", "tests/test_forever.py",
            ]
        )
        #expect(config.quarantine[0].expires == CalendarDate(year: 2025, month: 3, day: 1))
        #expect(config.quarantine[1].expires == CalendarDate(year: 2025, month: 6, day: 30))
        #expect(config.quarantine[2].expires == nil)
        #expect(config.quarantine[0].reason == "flaky: JIRA-123")
    }

    @Test func reportTable() throws {
        let config = try parse(
            #"""
            [report]
            masks = ['(?<=_)([0-9a-f]{8,})\b', 'session ([A-Z]+-\d+)']
            flaky_window = 50
            """#
        )
        #expect(config.report.flakyWindow == 50)
        #expect(config.report.masks.map(\.pattern) == [#"(?<=_)([0-9a-f]{8,})\b"#, #"session ([A-Z]+-\d+)"#])
        #expect(config.report.masks[0].occurs(in: "container pg_7f3a9c2e1b0d"))
    }

    @Test func tlsPathsResolveAgainstTheRoot() throws {
        let config = try parse(
            """
            [tls]
            ca_file = "certs/ca.pem"
            cert_file = "./certs/../certs/node.pem"
            key_file = "/etc/testshard/node.key"
            """
        )
        #expect(
            config.tls
                == TLSFilesConfiguration(
                    caFile: Self.root + "/certs/ca.pem",
                    certFile: Self.root + "/certs/node.pem",
                    keyFile: "/etc/testshard/node.key"
                )
        )
    }

    @Test func pyprojectReadsTheToolTestshardTable() throws {
        let config = try parse(
            """
            [project]
            name = "chat-service"
            version = "1.0"

            [tool.black]
            line-length = 100

            [tool.testshard.suite]
            include = ["tests/**/test_*.py"]
            retries = 2

            [[tool.testshard.area]]
            id = "chat"
            criticality = "high"
            globs = ["tests/chat/**"]
            """,
            pyproject: true
        )
        #expect(config.isPyproject)
        #expect(config.retries == 2)
        #expect(config.include.map(\.pattern) == ["tests/**/test_*.py"])
        #expect(config.areas.map(\.id) == ["chat"])
        #expect(config.areas[0].criticality == .high)
    }

    @Test func pyprojectErrorsNameTheFullKeyPath() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try self.parse("[tool.testshard.suite]\nretries = -1", pyproject: true)
        }
        #expect(error?.key == "tool.testshard.suite.retries")
        #expect(error?.file == "pyproject.toml")
    }

    @Test func configurationsCompareByValue() throws {
        let text = "[report]\nmasks = ['id=(\\d+)']\n[[area]]\nid = \"a\"\nglobs = [\"tests/a/**\"]"
        #expect(try parse(text) == parse(text))
        #expect(try parse(text) != parse(text + "\ncriticality = \"high\""))
    }
}
