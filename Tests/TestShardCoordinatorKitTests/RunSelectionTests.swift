import TestShardModel
import Testing

@testable import TestShardCoordinatorKit

@Suite struct RunSelectionTests {
    @Test func relativePathsResolveAgainstTheRoot() throws {
        #expect(try RunSelection.relative("/srv/suite/tests/a.py", root: "/srv/suite") == "tests/a.py")
        #expect(throws: (any Error).self) { try RunSelection.relative("/etc/passwd", root: "/srv/suite") }
    }
}

@Suite struct SplitFileDeselectTests {
    let split: [String: [WorkItem]] = ["a.py": ["a.py::t1", "a.py::t2", "a.py::t3"]]

    @Test func theRemainderLeavesOutTestsRunningElsewhere() {
        #expect(RunEngine.deselect(for: ["a.py", "b.py"], splitTests: split) == ["a.py::t1", "a.py::t2", "a.py::t3"])
    }

    @Test func testsInTheSameShardStaySelected() {
        #expect(RunEngine.deselect(for: ["a.py::t2", "a.py"], splitTests: split) == ["a.py::t1", "a.py::t3"])
    }

    @Test func shardsWithoutTheRemainderDeselectNothing() {
        #expect(RunEngine.deselect(for: ["a.py::t1", "b.py"], splitTests: split).isEmpty)
    }

    @Test func splitTestsAreThoseOfFilesThatAlsoRunWhole() {
        let items: [WorkItem] = ["a.py", "a.py::t1", "b.py::t9", "c.py"]
        #expect(RunEngine.Context.splitTests(of: items) == ["a.py": ["a.py::t1"]])
    }
}
