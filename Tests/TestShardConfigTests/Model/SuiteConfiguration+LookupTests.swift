import TestShardModel
import Testing

@testable import TestShardConfig

/// Areas, categories, profiles, affects, quarantine and triage lookups on a parsed config.
@Suite struct SuiteConfigurationLookupTests {
    let config: SuiteConfiguration

    init() throws {
        config = try SuiteConfiguration.parse(
            #"""
            [suite]
            exclude = ["tests/unit/vendored/**"]
            env = { TZ = "UTC", MODE = "suite" }

            [[area]]
            id = "payments"
            criticality = "critical"
            globs = ["tests/payments/**", "tests/e2e/test_checkout*.py"]

            [[area]]
            id = "e2e"
            globs = ["tests/e2e/**"]

            [[category]]
            id = "unit"
            globs = ["tests/unit/**"]

            [[category]]
            id = "e2e"
            globs = ["tests/e2e/**"]

            [[category]]
            id = "api"
            globs = ["tests/api/**", "tests/e2e/test_api_*.py"]

            [profile.no-docker]
            options = ["-m", "not docker"]
            env = { MODE = "no-docker" }

            [[affects]]
            sources = ["src/payments/**"]
            tests = ["tests/payments/**", "tests/e2e/test_checkout*.py"]

            [[affects]]
            sources = ["src/common/**"]
            tests = ["tests/**"]

            [[quarantine]]
            id = "tests/test_chat.py::test_reconnect"
            reason = "flaky"
            expires = "2025-03-01"

            [[quarantine]]
            id = "tests/test_legacy.py"
            reason = "rewrite"

            [[triage_rule]]
            id = "infra.docker"
            category = "infrastructure"
            message = "Cannot connect to the Docker daemon|Failed to start Docker"

            [[triage_rule]]
            id = "drift"
            category = "test_infrastructure"
            type = "AttributeError"
            message = "'\\w*Config\\w*' object has no attribute"

            [[triage_rule]]
            id = "timeout"
            category = "environment"
            exit_kind = "timeout"
            """#,
            file: "testshard.toml",
            root: "/srv/suite"
        )
    }

    @Test func areasForAFileOrANodeID() {
        #expect(config.areas(for: "tests/e2e/test_checkout_card.py").map(\.id) == ["payments", "e2e"])
        #expect(config.areas(for: "tests/payments/test_refund.py::TestRefund::test_partial").map(\.id) == ["payments"])
        #expect(config.areas(for: "tests/search/test_q.py").isEmpty)
    }

    @Test func categoriesForAFile() {
        #expect(config.categories(for: "tests/e2e/test_api_users.py").map(\.id) == ["e2e", "api"])
        #expect(config.categories(for: "tests/unit/test_x.py::test_y").map(\.id) == ["unit"])
    }

    @Test func selectionIsTheUnionOfTheCategoriesMinusExclude() throws {
        let selection = try config.selection(categories: ["unit", "api"])
        #expect(selection.matches("tests/unit/test_a.py"))
        #expect(selection.matches("tests/api/test_b.py"))
        #expect(selection.matches("tests/e2e/test_api_c.py"))
        #expect(!selection.matches("tests/e2e/test_checkout.py"))
        #expect(!selection.matches("tests/unit/vendored/test_lib.py"))
    }

    @Test func noCategoriesSelectsTheWholeSuite() throws {
        #expect(try config.selection(categories: []) == config.files)
    }

    @Test func anUnknownCategoryListsTheKnownOnes() {
        let error = #expect(throws: ConfigurationError.self) {
            try config.selection(categories: ["unit", "itegration"])
        }
        #expect(error?.code == .unknownID)
        #expect(error?.message.contains("no category \"itegration\"") == true)
        #expect(error?.message.contains("known categories: unit, e2e, api") == true)
    }

    @Test func profilesByName() throws {
        #expect(try config.profile(named: "no-docker").options == ["-m", "not docker"])
        let error = #expect(throws: ConfigurationError.self) { try config.profile(named: "no_docker") }
        #expect(error?.code == .unknownID)
        #expect(error?.message.contains("did you mean \"no-docker\"?") == true)
        #expect(error?.message.contains("known profiles: no-docker") == true)
    }

    @Test func environmentLayersTheProfileOverTheSuite() throws {
        #expect(config.environment(profile: nil) == ["TZ": "UTC", "MODE": "suite"])
        #expect(
            config.environment(profile: try config.profile(named: "no-docker")) == ["TZ": "UTC", "MODE": "no-docker"]
        )
    }

    @Test func affectedTestGlobsFollowTheChangedSources() {
        #expect(
            config.affectedTestGlobs(changedPaths: ["src/payments/charge.py", "README.md"]).map(\.pattern)
                == ["tests/payments/**", "tests/e2e/test_checkout*.py"]
        )
        #expect(config.affectedTestGlobs(changedPaths: ["docs/index.md"]).isEmpty)
        #expect(config.affectedTestGlobs(changedPaths: ["src/common/util.py", "src/payments/x.py"]).count == 3)
    }

    @Test func quarantineCoversFilesTestsAndParametrizations() {
        #expect(config.quarantineEntry(for: "tests/test_legacy.py")?.reason == "rewrite")
        #expect(config.quarantineEntry(for: "tests/test_legacy.py::TestOld::test_x")?.reason == "rewrite")
        #expect(config.quarantineEntry(for: "tests/test_chat.py::test_reconnect")?.reason == "flaky")
        #expect(config.quarantineEntry(for: "tests/test_chat.py::test_reconnect[ws-ipv6]")?.reason == "flaky")
        #expect(config.quarantineEntry(for: "tests/test_chat.py::test_reconnect_twice") == nil)
        #expect(config.quarantineEntry(for: "tests/test_chat.py") == nil)
        #expect(config.quarantineEntry(for: "tests/test_legacy.pyx") == nil)
    }

    @Test func quarantineExpiresOnItsDate() throws {
        let entry = config.quarantine[0]
        #expect(!entry.isExpired(on: try #require(CalendarDate("2025-02-28"))))
        #expect(entry.isExpired(on: try #require(CalendarDate("2025-03-01"))))
        #expect(entry.isExpired(on: try #require(CalendarDate("2026-01-01"))))
        #expect(!config.quarantine[1].isExpired(on: try #require(CalendarDate("9999-12-31"))))
    }

    @Test func firstMatchingTriageRuleWins() {
        #expect(
            config.triageRule(
                message: "RuntimeError: Failed to start Docker services",
                exceptionType: "RuntimeError",
                exitKind: .testsFailed
            )?.id == "infra.docker"
        )
        #expect(
            config.triageRule(
                message: "'RealWebSocketTestConfig' object has no attribute 'docker_startup_timeout'",
                exceptionType: "AttributeError",
                exitKind: nil
            )?.id == "drift"
        )
        // The type must match as a whole name, not a substring.
        #expect(
            config.triageRule(
                message: "'AppConfig' object has no attribute 'x'",
                exceptionType: "MyAttributeErrorWrapper",
                exitKind: nil
            ) == nil
        )
        #expect(config.triageRule(message: nil, exceptionType: nil, exitKind: .timeout)?.id == "timeout")
        #expect(
            config.triageRule(message: "assert 1 == 2", exceptionType: "AssertionError", exitKind: .testsFailed) == nil
        )
    }
}
