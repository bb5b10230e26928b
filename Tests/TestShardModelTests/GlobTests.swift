import Testing

@testable import TestShardModel

@Suite struct GlobTests {
    @Test(arguments: [
        ("tests/**/test_*.py", "tests/test_a.py", true),
        ("tests/**/test_*.py", "tests/api/v2/test_a.py", true),
        ("tests/**/test_*.py", "tests/api/a_test.py", false),
        ("tests/**/test_*.py", "src/tests/test_a.py", false),
        ("**/test_*.py", "test_a.py", true),
        ("**/test_*.py", "a/b/c/test_a.py", true),
        ("tests/*.py", "tests/a/b.py", false),
        ("tests/**", "tests/a/b.py", true),
        ("tests/test_?.py", "tests/test_a.py", true),
        ("tests/test_?.py", "tests/test_ab.py", false),
        ("tests/test_[ab].py", "tests/test_b.py", true),
        ("tests/test_[!ab].py", "tests/test_b.py", false),
        ("tests/test_[a-c].py", "tests/test_c.py", true),
        ("tests/{unit,api}/**/*.py", "tests/api/x/y.py", true),
        ("tests/{unit,api}/**/*.py", "tests/e2e/y.py", false),
        ("tests/**/websocket/**", "tests/chat/websocket/test_ws.py", true),
        ("tests/*_test*.py", "tests/a_test_b.py", true),
        ("*", "a/b", false),
        ("tests/a\\*.py", "tests/a*.py", true),
        ("tests/a\\*.py", "tests/ab.py", false),
    ])
    func matches(pattern: String, path: String, expected: Bool) throws {
        #expect(try Glob(pattern).matches(path) == expected)
    }

    @Test(arguments: [
        ("", "empty"),
        ("/tests/*.py", "leading"),
        ("tests/a**.py", "whole path segment"),
        ("tests/[ab.py", "without a matching ']'"),
        ("tests/{a,b.py", "without a matching '}'"),
        ("tests//a.py", "empty path segment"),
        ("tests/../a.py", "not allowed"),
        ("tests/[z-a].py", "reversed"),
    ])
    func rejects(pattern: String, reasonFragment: String) {
        #expect {
            try Glob(pattern)
        } throws: { error in
            "\(error)".contains(reasonFragment) && "\(error)".contains("\"\(pattern)\"")
        }
    }

    @Test func literalPrefixes() throws {
        #expect(try Glob("tests/api/**/test_*.py").literalPrefixes == ["tests/api"])
        #expect(try Glob("**/test_*.py").literalPrefixes == [""])
        #expect(try Glob("{a,b}/x/*.py").literalPrefixes == ["a/x", "b/x"])
    }

    @Test func globSetExcludeWins() throws {
        let set = GlobSet(include: [try Glob("tests/**/*.py")], exclude: [try Glob("tests/slow/**")])
        #expect(set.matches("tests/a.py"))
        #expect(!set.matches("tests/slow/a.py"))
    }
}
