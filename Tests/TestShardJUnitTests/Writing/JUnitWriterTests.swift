import Foundation
import TestShardModel
import Testing

@testable import TestShardJUnit

@Suite("JUnitWriter")
struct JUnitWriterTests {
    private func attempt(
        _ id: String,
        _ status: TestStatus,
        duration: Double = 0.5,
        message: String = "AssertionError: boom",
        phase: TestPhase? = .call
    ) -> TestCaseResult {
        let file = WorkItem(id).file
        let failure =
            status.isFailure
            ? TestFailure(type: "AssertionError", message: message, details: "trace", phase: phase) : nil
        return TestCaseResult(
            id: id,
            file: file,
            classname: "ignored",
            name: "ignored",
            status: status,
            duration: duration,
            failure: failure,
            skipReason: status == .skipped ? "not today" : nil
        )
    }

    private func children(of id: String, in xml: String) throws -> [String] {
        let document = try XMLDocumentTree(xml)
        let testCase = try #require(document.testCases.first { $0.id == id })
        return testCase.children
    }

    @Test func passAfterFailureIsPassedWithFlakyFailure() throws {
        let xml = JUnitWriter().write([
            attempt("tests/a.py::test_x", .failed, duration: 1), attempt("tests/a.py::test_x", .passed, duration: 2),
        ])
        #expect(try children(of: "tests/a.py::test_x", in: xml) == ["flakyFailure"])
        #expect(xml.contains("failures=\"0\""))
        #expect(xml.contains("time=\"2.000\""))
        let back = JUnitReader().parse(Data(xml.utf8))
        #expect(back.tests.map(\.status) == [.passed])
    }

    @Test func errorThenPassIsFlakyError() throws {
        let xml = JUnitWriter().write([attempt("tests/a.py::t", .error), attempt("tests/a.py::t", .passed)])
        #expect(try children(of: "tests/a.py::t", in: xml) == ["flakyError"])
    }

    @Test func failingEveryAttemptKeepsTheFirstAndEachRerun() throws {
        let xml = JUnitWriter().write([
            attempt("tests/a.py::t", .failed, message: "first"), attempt("tests/a.py::t", .error, message: "second"),
            attempt("tests/a.py::t", .failed, message: "third"),
        ])
        #expect(try children(of: "tests/a.py::t", in: xml) == ["failure", "rerunError", "rerunFailure"])
        #expect(xml.contains("failures=\"1\" errors=\"0\""))
        let back = JUnitReader().parse(Data(xml.utf8))
        #expect(back.tests.first?.failure?.message == "first")
    }

    @Test func skippedKeepsItsReason() throws {
        let xml = JUnitWriter().write([attempt("tests/a.py::t", .skipped)])
        #expect(try children(of: "tests/a.py::t", in: xml) == ["skipped"])
        #expect(JUnitReader().parse(Data(xml.utf8)).tests.first?.skipReason == "not today")
    }

    @Test func suitesAreMergedByFileSortedAndCounted() throws {
        let xml = JUnitWriter().write([
            attempt("tests/b.py::t2", .passed), attempt("tests/a.py::t1", .failed), attempt("tests/b.py::t1", .error),
            attempt("tests/a.py::t2", .skipped), attempt("tests/b.py::t3", .passed, duration: 1.25),
        ])
        let document = try XMLDocumentTree(xml)
        #expect(document.suites.map(\.name) == ["tests/a.py", "tests/b.py"])
        #expect(document.suites[0].attributes["tests"] == "2")
        #expect(document.suites[0].attributes["failures"] == "1")
        #expect(document.suites[0].attributes["skipped"] == "1")
        #expect(document.suites[1].attributes["tests"] == "3")
        #expect(document.suites[1].attributes["errors"] == "1")
        #expect(document.suites[1].attributes["time"] == "2.250")
        #expect(document.rootAttributes["tests"] == "5")
        #expect(
            document.testCases.map(\.id) == [
                "tests/a.py::t1", "tests/a.py::t2", "tests/b.py::t1", "tests/b.py::t2", "tests/b.py::t3",
            ]
        )
    }

    @Test func sameInputInAnyOrderGivesTheSameBytes() {
        let attempts = [
            attempt("tests/b.py::t2", .passed), attempt("tests/a.py::t1", .failed), attempt("tests/a.py::t1", .passed),
            attempt("tests/b.py::t1", .error),
        ]
        let one = JUnitWriter().write(attempts)
        let two = JUnitWriter().write([attempts[3], attempts[0], attempts[1], attempts[2]])
        #expect(one == two)
    }

    @Test func realPytestResultsRoundTripThroughTheReader() throws {
        let original = JUnitReader(candidateFiles: JUnitReaderPytestTests.mixedSuiteFiles).parse(
            Data(Fixtures.pytestXunit1.utf8)
        )
        let xml = JUnitWriter().write(original.tests)
        let back = JUnitReader().parse(Data(xml.utf8))
        #expect(back.state == .ok)
        let before = Dictionary(uniqueKeysWithValues: original.tests.map { ($0.id, $0) })
        #expect(Set(back.tests.map(\.id)) == Set(before.keys))
        for test in back.tests {
            let old = try #require(before[test.id])
            #expect(test.file == old.file, "\(test.id)")
            #expect(test.status == old.status, "\(test.id)")
            #expect(test.failure?.message == old.failure?.message, "\(test.id)")
            #expect(test.failure?.phase == old.failure?.phase, "\(test.id)")
            #expect(test.failure?.type == old.failure?.type, "\(test.id)")
            #expect(test.skipReason == old.skipReason, "\(test.id)")
            #expect(abs(test.duration - old.duration) < 0.0005, "\(test.id)")
        }
    }

    @Test func classnameIsRebuiltFromTheIdWhateverTheRunnerWrote() throws {
        let xml = JUnitWriter().write([attempt("tests/api/test_u.py::TestX::test_y[a.b::c]", .passed)])
        let document = try XMLDocumentTree(xml)
        #expect(document.testCases.first?.attributes["classname"] == "tests.api.test_u.TestX")
        #expect(document.testCases.first?.attributes["name"] == "test_y[a.b::c]")
        #expect(JUnitReader().parse(Data(xml.utf8)).tests.first?.id == "tests/api/test_u.py::TestX::test_y[a.b::c]")
    }

    @Test func filesWithoutResultsAreListedAsErrors() {
        let xml = JUnitWriter().write(
            [attempt("tests/a.py::t", .passed)],
            notRun: [JUnitNotRun(file: "tests/hang.py", reason: "timeout", details: "last line: waiting")]
        )
        let back = JUnitReader().parse(Data(xml.utf8))
        let missing = back.tests.first { $0.id == "tests/hang.py" }
        #expect(missing?.status == .error)
        #expect(missing?.failure?.message == "not run: timeout")
        #expect(missing?.failure?.type == "testshard.NotRun")
    }

    @Test func controlCharactersAndMarkupAreMadeSafe() throws {
        let nasty = "bell \u{07} esc \u{1B}[31mred\u{1B}[0m nul \u{00} <tag> & \"quotes\" ]]> \u{FFFE} ok"
        var result = attempt("tests/a.py::test_ctrl", .failed, message: nasty)
        result.failure?.details = nasty + "\n" + String(repeating: "x", count: 100_000)
        let xml = JUnitWriter(detailLimit: 4096).write([result])
        #expect(!xml.unicodeScalars.contains { !XMLText.isLegal($0) })
        #expect(xml.utf8.count < 12_000)
        let back = JUnitReader().parse(Data(xml.utf8))
        #expect(back.state == .ok)
        #expect(back.tests.first?.failure?.message == "bell #x07 esc red nul #x00 <tag> & \"quotes\" ]]> #xFFFE ok")
    }

    @Test func pythonsXMLParserAndJunitparserAcceptTheOutput() throws {
        var nasty = attempt("tests/a.py::test_ctrl", .failed, message: "\u{01}\u{1B}[1m<&>\"'\u{7F}")
        nasty.failure?.details = "line\r\nwith\tcontrol \u{0B}\u{0C}"
        let xml = JUnitWriter().write([
            nasty, attempt("tests/a.py::flaky", .failed), attempt("tests/a.py::flaky", .passed),
            attempt("tests/b.py::gone", .error, phase: .setup), attempt("tests/b.py::gone", .failed),
        ])
        let path = NSTemporaryDirectory() + "merged-\(UUID().uuidString).xml"
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            print(sum(1 for _ in root.iter('testcase')))
            try:
                import junitparser
            except ImportError:
                sys.exit(0)
            report = junitparser.JUnitXml.fromfile(sys.argv[1])
            print(sum(1 for suite in report for case in suite))
            """
        let output = try runPython(script, path)
        let counts = output.split(separator: "\n")
        #expect(counts.first == "3")
        if counts.count > 1 { #expect(counts[1] == "3") }
    }

    private func runPython(_ script: String, _ argument: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, argument]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "python said: \(text)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
