import Foundation
import Testing

@testable import TestShardStore

/// A process killed with SIGKILL while it writes leaves a database that opens and is consistent:
/// every shard attempt is there whole, with all its tests and samples, or not at all.
///
/// The writer is this test binary run again with a filter that selects only
/// ``killedWriterChild()``, which is enabled only when the parent sets the database path in the
/// environment.
@Suite("HistoryStore killed writer")
struct HistoryStoreKilledWriterTests {
    static let databaseVariable = "TESTSHARD_STORE_KILLED_WRITER_DB"
    static let testsPerAttempt = 300

    static var isChild: Bool { ProcessInfo.processInfo.environment[databaseVariable] != nil }

    /// SwiftPM on Linux runs Swift Testing inside `<Package>PackageTests.xctest`, which can run again
    /// with `--filter`; elsewhere (Xcode's test host) the binary cannot be run like that.
    static var canRunItself: Bool {
        #if os(Linux)
        CommandLine.arguments.first?.hasSuffix(".xctest") == true
        #else
        false
        #endif
    }

    @Test(.enabled(if: isChild, "runs only as the child of the killed-writer test"))
    func killedWriterChild() throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.databaseVariable])
        let store = try HistoryStore(path: path)
        // Write until killed; give up on our own after a minute in case the parent is gone.
        let deadline = Date().addingTimeInterval(60)
        var shard = 0
        while Date() < deadline {
            shard += 1
            let attempt = Make.attempt("r1", shard: shard, items: ["t/f\(shard).py"])
            let tests = (0..<Self.testsPerAttempt).map { Make.test("t/f\(shard % 50).py::t\($0)", in: attempt) }
            let samples = (0..<Self.testsPerAttempt).map {
                Make.sample("t/f\(shard % 50).py::t\($0)", Double(shard), at: Double(shard))
            }
            try store.recordShardAttempt(attempt, tests: tests, samples: samples)
        }
    }

    @Test(.enabled(if: !isChild && canRunItself))
    func aWriterKilledMidWriteLeavesAConsistentDatabase() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("history.sqlite")
        let observer = try HistoryStore(path: path)
        try observer.beginRun(Make.run("r1", status: .running))

        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--testing-library", "swift-testing", "--filter", "killedWriterChild"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.databaseVariable: path]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Let it commit a few attempts, then kill it while it is (most likely) inside the next one.
        let deadline = Date().addingTimeInterval(120)
        var committed = 0
        while committed < 5 && child.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            committed = try observer.shardAttempts(runID: "r1").count
        }
        Thread.sleep(forTimeInterval: Double.random(in: 0...0.03))
        let wasRunning = child.isRunning
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(wasRunning, "the writer ended on its own before it was killed")
        #expect(committed >= 5, "the writer committed only \(committed) attempts")
        #expect(child.terminationReason == .uncaughtSignal)

        let reopened = try HistoryStore(path: path)
        #expect(try reopened.checkIntegrity() == [])
        let snapshot = try reopened.snapshot(runID: "r1")
        #expect(snapshot.shardAttempts.count >= committed)
        let testsByAttempt = Dictionary(grouping: snapshot.testAttempts, by: \.shardAttemptRowID).mapValues(\.count)
        #expect(snapshot.shardAttempts.allSatisfy { testsByAttempt[$0.rowID] == Self.testsPerAttempt })
        #expect(testsByAttempt.count == snapshot.shardAttempts.count)
        // The windows moved in step with the samples: rebuilding them from the samples changes nothing.
        let windows = try reopened.allDurationWindows(.all)
        try reopened.rebuildDurationWindows()
        #expect(try reopened.allDurationWindows(.all) == windows)
        // And the history takes new writes.
        let next = Make.attempt("r1", shard: 1_000_000)
        try reopened.recordShardAttempt(next, tests: [Make.test("t/x.py::t", in: next)], samples: [])
    }
}
