import Foundation
import Testing

@testable import TestShardPlanner

@Suite("DurationsFile")
struct DurationsFileTests {
    private func parse(_ json: String) throws(DurationsFileError) -> DurationsFile {
        try DurationsFile(jsonData: Data(json.utf8))
    }

    private func error(_ json: String) -> DurationsFileError? {
        do {
            _ = try parse(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsPytestSplitTestDurations() throws {
        let file = try parse(#"{"tests/a.py::TestX::test_y": 0.25, "tests/a.py::test_z": 1.5, "tests/b.py::t": 0}"#)
        #expect(file.unit == .test)
        #expect(file.source == nil)
        #expect(file.durations == ["tests/a.py::TestX::test_y": 0.25, "tests/a.py::test_z": 1.5, "tests/b.py::t": 0])
    }

    @Test func readsKnapsackFileDurations() throws {
        let file = try parse(#"{"spec/a_spec.rb": 12.5, "spec/b_spec.rb": 3}"#)
        #expect(file.unit == .file)
        #expect(file.durations == ["spec/a_spec.rb": 12.5, "spec/b_spec.rb": 3])
    }

    @Test func readsTheBenchmarkWrapper() throws {
        let file = try parse(
            #"{"source": "github:o/r .test_durations@abc", "kind": "pytest-split", "unit": "test", "#
                + #""durations": {"t/a.py::x": 1, "t/a.py::y": 2}}"#
        )
        #expect(file.source == "github:o/r .test_durations@abc")
        #expect(file.unit == .test)
        #expect(file.durations.count == 2)
    }

    @Test func namesAnEntryThatIsNotANumber() {
        let failure = error(#"{"a.py": 1, "b.py": "fast"}"#)
        #expect(failure?.code == .notANumber)
        #expect(failure?.entry == "b.py")
        #expect(failure?.message.contains("\"fast\"") == true)
    }

    @Test(arguments: ["null", "true", "[1]", "{\"x\": 1}"])
    func rejectsNonNumberValues(value: String) {
        let failure = error(#"{"a.py": 1, "c.py": \#(value)}"#)
        #expect(failure?.code == .notANumber)
        #expect(failure?.entry == "c.py")
    }

    @Test func namesANegativeEntry() {
        let failure = error(#"{"a.py::t": -0.5}"#)
        #expect(failure?.code == .negative)
        #expect(failure?.entry == "a.py::t")
        #expect(failure?.message.contains("-0.5") == true)
    }

    // Python's json.dump writes NaN and Infinity as bare words; the entry must still be named.
    @Test(arguments: ["NaN", "Infinity", "-Infinity"])
    func namesANonFiniteEntry(value: String) {
        let failure = error(#"{"a.py": 1, "b.py": \#(value)}"#)
        #expect(failure?.code == .notFinite)
        #expect(failure?.entry == "b.py")
    }

    @Test func rejectsANumberTooLargeForADouble() {
        let failure = error(#"{"a.py": 1e999}"#)
        #expect(failure != nil)
        #expect([DurationsFileError.Code.notFinite, .notANumber, .invalidJSON].contains(failure!.code))
    }

    @Test func rejectsADocumentThatIsNotAnObject() {
        #expect(error("[1, 2]")?.code == .notAnObject)
        #expect(error("3")?.code == .notAnObject)
    }

    @Test func rejectsAWrapperWhoseDurationsAreNotAnObject() {
        let failure = error(#"{"source": "x", "durations": [1, 2]}"#)
        #expect(failure?.code == .notAnObject)
        #expect(failure?.entry == "durations")
    }

    @Test func rejectsAnEmptyFile() {
        #expect(error("{}")?.code == .empty)
        #expect(error(#"{"source": "x", "durations": {}}"#)?.code == .empty)
    }

    @Test func rejectsTextThatIsNotJSON() {
        let failure = error(#"{"a.py": 1, "b.py": "#)
        #expect(failure?.code == .invalidJSON)
        #expect(failure?.description.contains("not valid JSON") == true)
    }

    @Test(arguments: ["::test_x", "a.py::", ""])
    func namesABadName(name: String) {
        let failure = error(#"{"\#(name)": 1}"#)
        #expect(failure?.code == .badName)
        #expect(failure?.entry == name)
    }

    @Test func rejectsAFileListedBothWholeAndByTest() {
        let failure = error(#"{"a.py": 3, "a.py::t1": 1, "b.py::t": 1}"#)
        #expect(failure?.code == .mixedEntries)
        #expect(failure?.entry == "a.py")
    }

    @Test func plansTestLevelDataAsFilesWithTheirTests() throws {
        let file = try parse(#"{"a.py::t1": 1, "a.py::C::t2": 2.5, "b.py::t": 4}"#)
        let files = file.planFiles()
        #expect(files.map(\.path) == ["a.py", "b.py"])
        #expect(files[0].estimate.seconds == 3.5)
        #expect(files[0].estimate.source == .history)
        #expect(Set(files[0].tests.map(\.name)) == ["t1", "C::t2"])
        #expect(files[1].tests.map(\.name) == ["t"])
    }

    @Test func plansFileLevelDataWithoutTests() throws {
        let files = try parse(#"{"b.rb": 2, "a.rb": 1}"#).planFiles()
        #expect(files.map(\.path) == ["a.rb", "b.rb"])
        #expect(files.allSatisfy { $0.tests.isEmpty })
    }

    @Test func turnsEntriesIntoPassingSamples() throws {
        let samples = try parse(#"{"a.py::t": 1, "b.py": 2}"#).samples(recordedAt: 7)
        #expect(samples.tests == ["a.py::t": [DurationSample(seconds: 1, outcome: .passed, recordedAt: 7)]])
        #expect(samples.files == ["b.py": [DurationSample(seconds: 2, outcome: .passed, recordedAt: 7)]])
    }

    @Test func splitsNodeIDsAtTheFirstSeparator() {
        #expect(NodeID.split("a/b.py::C::t") == ("a/b.py", "C::t"))
        #expect(NodeID.split("a.py:::x") == ("a.py", ":x"))
        #expect(NodeID.split("a:b.py").test == nil)
        #expect(NodeID.split("a.py").file == "a.py")
    }
}
