import Foundation
import Testing

@testable import TestShardModel

@Suite struct WorkItemTests {
    @Test func wholeFile() {
        let item = WorkItem("tests/test_a.py")
        #expect(item.file == "tests/test_a.py")
        #expect(item.test == nil)
        #expect(item.isWholeFile)
    }

    @Test func testOfAFile() {
        let item = WorkItem(file: "tests/test_a.py", test: "TestX::test_y[a::b]")
        #expect(item.id == "tests/test_a.py::TestX::test_y[a::b]")
        #expect(item.file == "tests/test_a.py")
        #expect(item.test == "TestX::test_y[a::b]")
        #expect(!item.isWholeFile)
    }

    @Test func codesAsAPlainString() throws {
        let data = try JSONEncoder().encode([WorkItem("a.py::t")])
        #expect(String(decoding: data, as: UTF8.self) == #"["a.py::t"]"#)
        #expect(try JSONDecoder().decode([WorkItem].self, from: data) == ["a.py::t"])
    }
}

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("90", 90.0), ("90s", 90), ("20m", 1200), ("1h30m", 5400), ("500ms", 0.5), ("1.5h", 5400), (" 2m ", 120),
    ])
    func parses(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "abc", "-3", "5x", "m", "1h30"])
    func rejects(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test func formats() {
        #expect(DurationText.format(0.25) == "250ms")
        #expect(DurationText.format(12.54) == "12.5s")
        #expect(DurationText.format(185) == "3m05s")
        #expect(DurationText.format(3720) == "1h02m")
    }
}

@Suite struct TestStatusTests {
    @Test func worstWins() {
        #expect([TestStatus.passed, .skipped, .failed].max() == .failed)
        #expect([TestStatus.failed, .error].max() == .error)
    }
}
