import TestShardModel
import Testing

@testable import TestShardReport

@Suite struct SupportTests {
    @Test func calendarDaysParseAndCompare() throws {
        #expect(CalendarDay("2025-02-29") == nil)
        #expect(CalendarDay("2024-02-29") != nil)
        #expect(CalendarDay("2025-13-01") == nil)
        #expect(CalendarDay("25-01-01") == nil)
        #expect(try #require(CalendarDay("2025-06-14")) < (try #require(CalendarDay("2025-06-15"))))
        #expect(CalendarDay(epochSeconds: 1_750_000_000).description == "2025-06-15")
        #expect(CalendarDay(epochSeconds: 0).description == "1970-01-01")
        #expect(CalendarDay(epochSeconds: -1).description == "1969-12-31")
        #expect(isoTimestamp(1_750_000_000) == "2025-06-15T15:06:40Z")
    }

    @Test func shellQuotingKeepsWordsApart() {
        #expect(
            ShellQuoting.join(["pytest", "-m", "not docker", "tests/a b.py", "it's"])
                == #"pytest -m 'not docker' 'tests/a b.py' 'it'\''s'"#
        )
        #expect(ShellQuoting.quote("") == "''")
        #expect(ShellQuoting.quote("--junitxml=/tmp/x.xml") == "--junitxml=/tmp/x.xml")
    }

    @Test func configurationValidationNamesTheBadValue() {
        let configuration = ReportConfiguration(
            triageRules: [TriageRule(id: "r", category: .product, type: "[")],
            quarantine: [QuarantineEntry(id: "tests/a.py", reason: "x", expires: "soon")],
            masks: ["(?<=_)[0-9a-f]{8,}\\b"]
        )
        let errors = configuration.validate()
        #expect(errors.map(\.code) == [.badRuleRegex, .badDate])
        #expect(errors.last?.message.contains("\"soon\"") == true)
    }
}

/// The folder cache of `X/**` globs must answer exactly as the glob does.
@Suite struct PrefixedGlobTests {
    @Test(arguments: [
        "tests/*/unit/**", "tests/payments/**", "tests/**/websocket/**", "**/test_*.py", "tests/{a,b}/**", "t*/x/**",
    ])
    func agreesWithTheGlob(pattern: String) throws {
        let glob = try Glob(pattern)
        let prepared = PrefixedGlob(glob)
        var cache: [Substring: Bool] = [:]
        let paths = [
            "tests/payments/unit/test_a.py", "tests/payments/unit/deep/test_b.py", "tests/chat/unit",
            "tests/chat/unit/x.py",
            "tests/payments", "tests/payments/test_c.py", "tests/a/test_d.py", "tests/b/c/test_e.py",
            "tests/websocket/test_f.py",
            "tests/x/websocket/y/test_g.py", "other/unit/test_h.py", "tx/x/test_i.py", "tx/x", "test_j.py",
        ]
        // Twice, so the second pass answers from the cache.
        for _ in 0..<2 {
            for path in paths {
                #expect(prepared.matches(path, cache: &cache) == glob.matches(path), "\(pattern) on \(path)")
            }
        }
    }
}
