import Foundation
import Synchronization
import Testing

@testable import TestShardStore

/// Reads and writes from several threads at once.
@Suite("HistoryStore concurrency")
struct HistoryStoreConcurrencyTests {
    @Test func aReadDoesNotWaitForAWriteInProgressAndSeesTheStateBeforeIt() throws {
        let fixture = try StoreFlavor.file.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", at: 1))

        let insideWrite = DispatchSemaphore(value: 0)
        let releaseWrite = DispatchSemaphore(value: 0)
        let writeDone = DispatchSemaphore(value: 0)
        Thread {
            try? store.writing { db in
                try Make.run("r2", at: 2).insert(db)
                insideWrite.signal()
                releaseWrite.wait()
            }
            writeDone.signal()
        }
        .start()
        insideWrite.wait()

        let seen = Mutex<[String]?>(nil)
        let readDone = DispatchSemaphore(value: 0)
        Thread {
            let ids = try? store.runs().map(\.id)
            seen.withLock { $0 = ids }
            readDone.signal()
        }
        .start()
        // Generous: the read takes milliseconds; only a read that waits for the writer takes forever.
        let readFinishedDuringWrite = readDone.wait(timeout: .now() + 60) == .success
        releaseWrite.signal()
        writeDone.wait()
        if !readFinishedDuringWrite { readDone.wait() }

        #expect(readFinishedDuringWrite)
        #expect(seen.withLock { $0 } == ["r1"])
        #expect(try store.runs().map(\.id) == ["r2", "r1"])
    }

    @Test(arguments: StoreFlavor.allCases)
    func readersNeverSeeHalfAShardAttempt(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        let testsPerAttempt = 25
        let attempts = 40
        let writing = Atomic<Bool>(true)
        let torn = Mutex<[String]>([])
        let reads = Atomic<Int>(0)

        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            if worker == 0 {
                defer { writing.store(false, ordering: .releasing) }
                for shard in 1...attempts {
                    let attempt = Make.attempt("r1", shard: shard)
                    let tests = (0..<testsPerAttempt).map { Make.test("t/f\(shard).py::t\($0)", in: attempt) }
                    let samples = (0..<testsPerAttempt).map { Make.sample("t/f\(shard).py::t\($0)", 1) }
                    do { try store.recordShardAttempt(attempt, tests: tests, samples: samples) } catch {
                        torn.withLock { $0.append("write failed: \(error)") }
                        return
                    }
                }
                return
            }
            repeat {
                do {
                    let snapshot = try store.snapshot(runID: "r1")
                    if snapshot.testAttempts.count != snapshot.shardAttempts.count * testsPerAttempt {
                        torn.withLock {
                            $0.append("\(snapshot.shardAttempts.count) attempts, \(snapshot.testAttempts.count) tests")
                        }
                    }
                    reads.add(1, ordering: .relaxed)
                } catch {
                    torn.withLock { $0.append("read failed: \(error)") }
                }
            } while writing.load(ordering: .acquiring)
        }

        #expect(torn.withLock { $0 } == [])
        #expect(reads.load(ordering: .relaxed) >= 2)
        #expect(try store.testAttempts(runID: "r1").count == attempts * testsPerAttempt)
        #expect(try store.allDurationWindows(.tests).count == attempts * testsPerAttempt)
    }
}
