import Foundation
import Logging
import Synchronization
import TestShardModel
import TestShardProtocol
import TestShardScheduler
import TestShardStore
import Testing

@testable import TestShardCoordinatorKit

/// A worker cut off by a partition reconnects under its name while the coordinator still holds
/// its old, silent connection (found by the netns partition fault): the new connection replaces the
/// silent one; a second connection under the name of a live worker is refused.
@Suite struct RunEngineReconnectTests {
    private final class ManualClock: Sendable {
        private let value = Mutex(1000.0)
        var now: Double { value.withLock { $0 } }
        func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
    }

    private struct Fixture {
        let engine: RunEngine
        let clock: ManualClock
        let folder: String
    }

    private func fixture(leaseTimeout: Double = 30) throws -> Fixture {
        let folder = try makeScratchFolder("reconnect")
        var configuration = SchedulerConfiguration()
        configuration.leaseTimeout = leaseTimeout
        let clock = ManualClock()
        let (_, finished) = AsyncStream.makeStream(of: RunSummary.self)
        let engine = RunEngine(
            scheduler: try SchedulerStateMachine(
                items: [EstimatedItem(WorkItem("tests/test_a.py"), estimatedSeconds: 1)],
                configuration: configuration
            ),
            store: try HistoryStore(path: folder + "/history.sqlite"),
            context: .init(
                runID: "run-1",
                profile: nil,
                revision: nil,
                requireSameRevision: false,
                heartbeatInterval: configuration.heartbeatInterval,
                leaseTimeout: leaseTimeout
            ),
            logger: Logger(label: "test"),
            clock: { clock.now },
            finished: finished
        )
        return Fixture(engine: engine, clock: clock, folder: folder)
    }

    private func hello(_ name: String) -> HelloMessage {
        HelloMessage(
            workerName: name,
            hostname: "host-b",
            slots: 1,
            revision: nil,
            dirty: false,
            runner: "pytest",
            softwareVersion: "test",
            pid: 1
        )
    }

    private typealias Commands = AsyncStream<RunEngine.ConnectionCommand>

    /// Whether the connection was told to close (its commands so far end with a close).
    private func wasClosed(_ commands: Commands, _ sink: Commands.Continuation) async -> Bool {
        sink.finish()
        var closed = false
        for await command in commands {
            if case .close = command { closed = true }
        }
        return closed
    }

    @Test func aLiveWorkersNameIsRefusedToASecondConnection() async throws {
        let fixture = try fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let (first, firstSink) = Commands.makeStream()
        let (_, secondSink) = Commands.makeStream()
        let joined = await fixture.engine.register(hello("w1"), peer: "10.0.0.2:1", connection: UUID(), sink: firstSink)
        #expect((try? joined.get()) != nil)

        fixture.clock.advance(29)  // within the lease timeout: the first connection counts as alive
        let again = await fixture.engine.register(hello("w1"), peer: "10.0.0.2:2", connection: UUID(), sink: secondSink)
        guard case .failure(let error) = again else {
            Issue.record("a second connection under a live worker's name was accepted")
            return
        }
        #expect(error.code == .workerRefused)
        #expect(error.message.contains("already connected"))
        #expect(await !wasClosed(first, firstSink))
    }

    @Test func aWorkerSilentPastTheLeaseTimeoutIsReplacedByItsNewConnection() async throws {
        let fixture = try fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let (old, oldSink) = Commands.makeStream()
        let (_, newSink) = Commands.makeStream()
        let oldID = UUID()
        _ = await fixture.engine.register(hello("w1"), peer: "10.0.0.2:1", connection: oldID, sink: oldSink)

        fixture.clock.advance(31)
        let again = await fixture.engine.register(hello("w1"), peer: "10.0.0.2:2", connection: UUID(), sink: newSink)
        #expect((try? again.get())?.workerID == "w1")
        #expect(await wasClosed(old, oldSink), "the silent connection is told to close")
        // A late message on the replaced connection is ignored, not taken as the worker's.
        let ignored = await fixture.engine.received(
            .heartbeat(HeartbeatMessage(running: [])),
            from: WorkerID("w1"),
            connection: oldID
        )
        #expect(ignored == nil)
    }

    @Test func aMessageOnTheConnectionKeepsItAlive() async throws {
        let fixture = try fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let (first, firstSink) = Commands.makeStream()
        let (_, secondSink) = Commands.makeStream()
        let id = UUID()
        _ = await fixture.engine.register(hello("w1"), peer: "10.0.0.2:1", connection: id, sink: firstSink)
        fixture.clock.advance(20)
        _ = await fixture.engine.received(
            .heartbeat(HeartbeatMessage(running: [])),
            from: WorkerID("w1"),
            connection: id
        )
        fixture.clock.advance(20)  // 40 s after joining, 20 s after the last message
        let again = await fixture.engine.register(hello("w1"), peer: "10.0.0.2:2", connection: UUID(), sink: secondSink)
        #expect((try? again.get()) == nil)
        #expect(await !wasClosed(first, firstSink))
    }
}
