import Foundation
import TestShardModel
import Testing

@testable import TestShardJUnit

@Suite("JUnitReader on missing, cut and broken files")
struct JUnitReaderDamageTests {
    private let reader = JUnitReader(candidateFiles: JUnitReaderPytestTests.mixedSuiteFiles)

    @Test func missingFileIsMissing() {
        let result = reader.read(contentsOf: "/nonexistent/\(UUID().uuidString).xml")
        #expect(result.state == .missing)
        #expect(result.tests.isEmpty)
        #expect(result.reason?.contains("/nonexistent/") == true)
    }

    @Test func emptyAndBlankFilesAreEmpty() throws {
        #expect(reader.parse(Data()).state == .empty)
        #expect(reader.parse(Data(" \n\t ".utf8)).state == .empty)
        let path = NSTemporaryDirectory() + "empty-\(UUID().uuidString).xml"
        try Data().write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(reader.read(contentsOf: path).state == .empty)
    }

    @Test func directoryIsCorrupt() {
        #expect(reader.read(contentsOf: NSTemporaryDirectory()).state == .corrupt)
    }

    @Test func realFileReadFromDisk() throws {
        let path = NSTemporaryDirectory() + "junit-\(UUID().uuidString).xml"
        try Data(Fixtures.pytestXunit1.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = reader.read(contentsOf: path)
        #expect(result.state == .ok)
        #expect(result.tests.count == 21)
    }

    /// XMLParser reports success for many of these prefixes; every one must still be `truncated`.
    @Test func everyPrefixOfARealFileIsTruncatedAndKeepsOnlyClosedTestCases() {
        let data = Data(Fixtures.pytestXunit1.utf8)
        let complete = reader.parse(data)
        #expect(complete.state == .ok)
        var previousCount = 0
        var cuts = Array(stride(from: 1, to: data.count, by: 5))
        cuts += (max(1, data.count - 40)..<data.count)
        for cut in cuts {
            let result = reader.parse(data.prefix(cut))
            #expect(
                result.state == .truncated,
                "cut at \(cut) of \(data.count): \(result.state) \(result.reason ?? "")"
            )
            #expect(result.tests.count <= complete.tests.count)
            #expect(result.tests.count >= previousCount || cut > data.count - 41, "cut at \(cut)")
            previousCount = result.tests.count
            for test in result.tests {
                let whole = complete.tests.first { $0.id == test.id }
                #expect(whole != nil, "cut at \(cut) invented \(test.id)")
            }
        }
    }

    @Test func truncatedFileReasonSaysWhereItStopped() {
        let text = Fixtures.pytestXunit1
        let cut = text.range(of: "name=\"test_skip\"")!.lowerBound
        let result = reader.parse(Data(text[..<cut].utf8))
        #expect(result.state == .truncated)
        #expect(result.tests.count == 6)
        #expect(result.reason?.contains("6 complete test cases") == true)
    }

    @Test func damageInTheMiddleIsCorrupt() {
        let broken = Fixtures.pytestXunit2.replacingOccurrences(
            of: "<testcase classname=\"tests.test_mix\" name=\"test_skip\"",
            with: "<testcase <<< classname=\"tests.test_mix\" name=\"test_skip\""
        )
        let result = reader.parse(Data(broken.utf8))
        #expect(result.state == .corrupt)
        #expect(result.reason?.contains("line") == true)
    }

    @Test func otherDocumentsAreCorrupt() {
        #expect(reader.parse(Data("hello world".utf8)).state == .corrupt)
        #expect(reader.parse(Data("<html><body>502 Bad Gateway</body></html>".utf8)).state == .corrupt)
        #expect(reader.parse(Data([0xFF, 0xFE, 0x00, 0x41])).state != .ok)
    }

    @Test func tooLargeFileIsNotRead() throws {
        let path = NSTemporaryDirectory() + "big-\(UUID().uuidString).xml"
        try Data(Fixtures.pytestXunit1.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let small = JUnitReader(maximumFileBytes: 100)
        #expect(small.read(contentsOf: path).state == .corrupt)
    }

    /// Inputs that trapped FoundationXML's XMLParser before `JUnitDocumentParser.prepare`, found by
    /// fuzzing: each once took the whole process down.
    @Test func inputsThatCrashFoundationXMLAreSafe() {
        let processingInstruction = reader.parse(Data("<?x?>ml vrsion=\"1.".utf8))
        #expect(processingInstruction.state != .ok)
        let inside = reader.parse(
            Data(
                #"<testsuites><?pi?><testsuite name="s"><testcase classname="a" name="b"/></testsuite></testsuites>"#
                    .utf8
            )
        )
        #expect(inside.state == .ok)
        #expect(inside.tests.count == 1)
        var badName = Array(#"<testsuites><testsuite name="s"><testcase classname="a" name="b" t"#.utf8)
        badName += [0xED, 0xA4, 0xFF]
        badName += Array(#"me="1"/></testsuite></testsuites>"#.utf8)
        let repaired = reader.parse(Data(badName))
        #expect(repaired.state == .ok)
        #expect(repaired.tests.map(\.id) == ["a.py::b"])
        var badElement = Array("<testsuites><t".utf8)
        badElement += [0xC3, 0x28]
        badElement += Array("/></testsuites>".utf8)
        _ = reader.parse(Data(badElement))
    }

    @Test func doctypeIsRefusedBeforeParsing() {
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
            <testsuites><testsuite name="&lol2;"/></testsuites>
            """
        let result = reader.parse(Data(bomb.utf8))
        #expect(result.state == .corrupt)
        #expect(result.reason?.contains("DOCTYPE") == true)
    }

    @Test func otherEncodingsAreReadAsText() throws {
        let xml =
            #"<testsuites><testsuite name="s"><testcase classname="tests.test_é" name="test_ü"/></testsuite></testsuites>"#
        let utf16 = try #require(xml.data(using: .utf16))
        #expect(reader.parse(utf16).tests.first?.name == "test_ü")
        let mislabelled = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + xml
        #expect(reader.parse(Data(mislabelled.utf8)).tests.first?.name == "test_ü")
    }

    @Test func randomAndMutatedBytesNeverCrash() {
        var generator = SplitMix64(seed: 0x7E57_5A4D)
        let seedDocuments = [Fixtures.pytestXunit1, Fixtures.nodeTest, Fixtures.swiftTesting].map { Array($0.utf8) }
        var states: [JUnitFileState: Int] = [:]
        for round in 0..<1500 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(generator.next() % 400)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                bytes = seedDocuments[round % seedDocuments.count]
                for _ in 0..<(1 + Int(generator.next() % 8)) {
                    let position = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 3 {
                    case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes.remove(at: position)
                    default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
                    }
                }
            }
            let result = reader.parse(Data(bytes))
            states[result.state, default: 0] += 1
            if result.state != .ok { #expect(result.reason != nil) }
        }
        #expect(states[.corrupt, default: 0] > 0)
    }
}
