import Foundation
import Testing

@testable import TestShardExecution

/// The flat-record reader agrees with `JSONDecoder` on every line it accepts, and leaves every
/// other line to it.
@Suite("PytestProgressLine")
struct PytestProgressLineTests {
    private func fast(_ line: String) -> PytestProgressDecoder.Record? {
        Array(line.utf8).withUnsafeBytes { PytestProgressLine.parse($0) }
    }

    private func decoded(_ line: String) -> PytestProgressDecoder.Record? {
        try? JSONDecoder().decode(PytestProgressDecoder.Record.self, from: Data(line.utf8))
    }

    /// Lines as the plugin formats them, and as `json.dumps` or another writer could: escapes of
    /// every kind, surrogate pairs, raw UTF-8, numbers in every form, other spacing, unknown keys.
    static let accepted = [
        #"{"event": "start", "nodeid": "tests/test_a.py::test_x[say \"hi\"]", "file": "tests/test_a.py", "t": 1795731516.711374}"#,
        #"{"event": "report", "nodeid": "t.py::test_q[back\\\\slash]", "when": "call", "outcome": "passed", "duration": 1.2e-05, "file": "t.py", "t": 1795731516.75414}"#,
        #"{"event": "report", "nodeid": "t.py::test_caf\u00e9", "when": "teardown", "outcome": "passed", "duration": 0.0, "file": "t.py", "t": 0}"#,
        #"{"event": "finish", "nodeid": "t.py::test_\ud83d\ude00\/\b\f\n\r\t", "t": -1.5E+3}"#,
        #"{"event":"collectstart","nodeid":"t.py","t":17}"#,
        "{\"event\": \"collectreport\", \"nodeid\": \"tests/caf\u{e9}/t.py\", \"outcome\": \"passed\", \"t\": 2}",
        #"  { "event" : "sessionfinish" , "exitstatus" : 1 , "extra": "ignored", "n": 3 }  "#,
        #"{"event": "report", "nodeid": "t.py::x", "when": "call", "outcome": "skipped", "duration": 0.1, "xfail": "known", "text": "why\nnot", "t": 1}"#,
        #"{"event": "session", "rootdir": "/tmp/r", "invocation_dir": "/tmp/r", "pid": 30509, "t": 1795665388.560877}"#,
    ]

    /// Lines this reader leaves to `JSONDecoder`: nested values, literals, broken or cut-short
    /// text, values of another type than the record's field, a lone surrogate.
    static let left = [
        #"{"event": "collectreport", "nodeid": "t.py", "outcome": "failed", "crash": {"message": "boom"}, "t": 1}"#,
        #"{"event": "report", "nodeid": "t.py::x", "when": "call", "outcome": "failed", "crash": null, "t": 1}"#,
        #"{"event": "start", "nodeid": "t.py::x", "flag": true, "t": 1}"#,
        #"{"event": "start", "nodeid": "tests/test_mix.py::cut"#,
        #"{"event": "start", "nodeid": "t.py::x", "t": 1}, "#,
        #"{"event": "start", "nodeid": "t.py::x", "t": 01}"#,
        #"{"event": "start", "nodeid": "t.py::x", "t": 1.}"#,
        #"{"event": "start", "nodeid": "t.py::x", "t": "1"}"#,
        #"{"event": "start", "nodeid": "t.py::x", "nodeid": "t.py::y", "t": 1}"#,
        #"{"event": 3, "nodeid": "t.py::x"}"#,
        #"{"event": "sessionfinish", "exitstatus": 1.5}"#,
        #"{"event": "start", "nodeid": "t.py::\ud83d"}"#,
        #"{"event": "start", "nodeid": "t.py::\ude00"}"#,
        #"{"event": "start", "nodeid": "t.py::\x41"}"#,
        "{\"event\": \"start\", \"nodeid\": \"t.py::\u{1}\"}",
        #"{"nodeid": "a record without its event"}"#,
        #"{}"#,
        #"not json"#,
        "",
    ]

    @Test(arguments: accepted)
    func aFlatRecordReadsAsJSONDecoderReadsIt(_ line: String) throws {
        let record = try #require(fast(line))
        #expect(record == decoded(line))
    }

    @Test(arguments: left)
    func anythingElseIsLeftToJSONDecoder(_ line: String) {
        #expect(fast(line) == nil)
    }

    @Test func bytesThatAreNotUTF8AreLeftToJSONDecoder() {
        var bytes = Array(#"{"event": "start", "nodeid": "t.py::"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}"#.utf8)
        #expect(bytes.withUnsafeBytes { PytestProgressLine.parse($0) } == nil)
    }

    /// A whole real log (with a failed collection, failures with crashes, and a line cut by a
    /// kill) gives the same records with the fast path as with `JSONDecoder` alone.
    @Test func aWholeLogGivesTheSameRecordsEitherWay() {
        let data = Data(ProgressFixtures.mixedSuite.utf8)
        let both = PytestProgressDecoder.records(data)
        let decoderOnly = PytestProgressDecoder.records(data, fastPath: false)
        #expect(both.count > 40)
        #expect(both == decoderOnly)
        let lines = Self.accepted + Self.left
        let mixed = Data(lines.joined(separator: "\n").utf8)
        #expect(PytestProgressDecoder.records(mixed) == PytestProgressDecoder.records(mixed, fastPath: false))
        // Some of the lines left to JSONDecoder are records to it (`null`, `true` in another key).
        #expect(PytestProgressDecoder.records(mixed).count == lines.compactMap(decoded).count)
        #expect(lines.compactMap(decoded).count > Self.accepted.count)
    }
}
