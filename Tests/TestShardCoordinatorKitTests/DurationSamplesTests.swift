import TestShardModel
import TestShardScheduler
import Testing

@testable import TestShardCoordinatorKit

/// What an accepted shard puts into the duration history (`RunEngine.samples`).
@Suite struct DurationSamplesTests {
    private func record(_ tests: [(item: WorkItem, id: String, seconds: Double)]) -> ShardRecord {
        ShardRecord(
            lease: LeaseKey(shard: ShardID(number: 1), attempt: 1),
            worker: "w1",
            items: Array(Set(tests.map(\.item))).sorted(),
            kind: .batch,
            disposition: .accepted,
            exit: ShardExit(kind: .ok, code: 0),
            assignedAt: 0,
            startedAt: 0,
            endedAt: 10,
            command: nil,
            lastStartedItem: nil,
            tests: tests.map { test in
                RecordedTest(
                    result: TestCaseResult(
                        id: test.id,
                        file: test.item.file,
                        classname: "",
                        name: test.id,
                        status: .passed,
                        duration: test.seconds
                    ),
                    item: test.item,
                    attempt: 1
                )
            },
            unattributedTests: [],
            unfinishedItems: []
        )
    }

    @Test func aFileSampleIsWhatTheFileCostTheProcessWhenMeasured() {
        let shard = record([
            ("t/a.py", "t/a.py::one", 0.002), ("t/a.py", "t/a.py::two", 0.003),
            ("t/b.py", "t/b.py::one", 0.5),
            ("t/c.py::slow", "t/c.py::slow", 2),
        ])
        let samples = RunEngine.samples(
            shard,
            // a.py: import and collection dwarf its tests; b.py: measured below its JUnit time
            // (clock granularity), so the tests' time stands; c.py ran as a test item only.
            fileSeconds: ["t/a.py": 0.04, "t/b.py": 0.25, "t/c.py": 2.5],
            worker: "w1",
            at: 5
        )
        let byItem = Dictionary(uniqueKeysWithValues: samples.map { ($0.item, $0.duration) })
        #expect(byItem["t/a.py"] == 0.04)
        #expect(byItem["t/b.py"] == 0.5)
        #expect(byItem["t/c.py::slow"] == 2)
        #expect(byItem["t/c.py"] == nil)
        #expect(byItem["t/a.py::one"] == 0.002)
    }

    @Test func withoutMeasurementsAFileIsTheSumOfItsTests() {
        let samples = RunEngine.samples(
            record([("t/a.py", "t/a.py::one", 0.25), ("t/a.py", "t/a.py::two", 0.5)]),
            worker: "w1",
            at: 5
        )
        #expect(samples.first { $0.item == "t/a.py" }?.duration == 0.75)
    }
}
