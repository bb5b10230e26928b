import Testing

@testable import TestShardConfig

/// The guard in front of TOMLKit: text that would crash toml++ becomes a syntax error; valid TOML
/// (including the odd corners that look like the crashing shapes) passes untouched.
@Suite struct TOMLCrashGuardTests {
    @Test(arguments: [
        ("[[`t = 1", 1, 3),
        ("[suite]\n[[=]]", 2, 3),
        ("[.a]", 1, 2),
        ("[ #x]", 1, 3),
        ("x = 1\n[\n", 2, 2),
        ("a = [1, }", 1, 9),
        ("a = [\n  # comment\n  }", 3, 3),
        ("a = { b = [ } }", 1, 13),
        ("a = [[1], [\u{2028}]]", 1, 12),
        // Found by libFuzzer (minimised by hand).
        ("a.b.\"c\" = [6666, }{", 1, 18),
        ("\u{FEFF}[~", 1, 3),
        ("d = 2025-01-01 1\nx = 1", 1, 17),
        ("d = [2025-01-0) 1]", 1, 18),
        ("d = { e = 2_025-01-01 2 }", 1, 24),
        ("a = [1979-05-27T..Y32:00t]", 1, 17),
        ("a = 2025-01-01Tx:00", 1, 16),
        ("a = [1979-05-27 0\u{FEFF}2:00Z]", 1, 18),
    ])
    func crashingShapesAreFound(_ text: String, _ line: Int, _ column: Int) throws {
        let crash = try #require(TOMLCrashGuard.firstCrash(in: text))
        #expect(crash.line == line)
        #expect(crash.column == column)
    }

    @Test func crashingShapesBecomeSyntaxErrors() throws {
        for text in ["[[`t = 1", "a = [1, }", "[=]"] {
            let error = #expect(throws: ConfigurationError.self) {
                try SuiteConfiguration.parse(text, file: "testshard.toml", root: "/s")
            }
            #expect(error?.code == .syntax)
            #expect(error?.line == 1)
            #expect(error?.message.hasPrefix("invalid TOML: expected a") == true)
        }
    }

    @Test(arguments: [
        // Headers and keys of every shape.
        "[suite]\n[ tool . testshard ]\n[[area]]\n[[ 'quoted key' ]]\n[\"a.b\".c]\n[a-b_c.1]",
        // A '[' at line start inside a multi-line array is an array, not a header.
        "a = [\n[[1]],\n[ {x = 1} ],\n[\n2],\n[+1],\n[# comment\n3],\n]",
        // Header-looking text inside strings of all four kinds.
        "a = \"\"\"\n[=\n[[`\n\"\"\"\nb = '''\n[.x]\n'''\nc = \"[=\"\nd = '[}'",
        // Escaped quotes and the quote-run rule of multi-line strings.
        "a = \"x\\\"[=\"\nb = \"\"\"q\"\"\"\"\nc = '''q'''''\n[ok]",
        // Date-times with a blank, inside arrays, before a comma.
        "a = [1979-05-27 07:32:00Z, 1979-05-27T07:32:00, 07:32:00, 1979-05-27]\n[next]",
        // Inline tables nested in arrays and arrays nested in inline tables.
        "a = [{b = [1, 2]}, {c = {d = []}}]\nx = {y = [[], [[]]], z = 'w'}",
        // Comments everywhere a comment may be.
        "# top\n[suite] # after header\nname = \"x\" # after value\na = [ # after bracket\n 1, # after element\n] # end",
        // Everything the config schema uses.
        "[suite]\ninclude = [\"tests/**/test_*.py\"]\nenv = { A = \"1\" }\n[[triage_rule]]\nmessage = '''x|\\w+'''\n",
    ])
    func validTOMLIsNotFlagged(_ text: String) {
        #expect(TOMLCrashGuard.firstCrash(in: text) == nil)
    }

    @Test func deepNestingStopsAtTheParserLimitWithoutOverflowingTheStack() {
        let deep = "a = " + String(repeating: "[", count: 100_000)
        #expect(TOMLCrashGuard.firstCrash(in: deep) == nil)
        let error = #expect(throws: ConfigurationError.self) {
            try SuiteConfiguration.parse(deep, file: "testshard.toml", root: "/s")
        }
        #expect(error?.code == .syntax)
    }
}
