import Foundation
import TestShardModel
import Testing

@testable import TestShardStore

/// The two kinds of store every contract test runs against (ci-queue style): the in-memory
/// `DatabaseQueue` and a `DatabasePool` on a temporary file.
enum StoreFlavor: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case file

    var testDescription: String { rawValue }

    func make(windowSize: Int = 10) throws -> StoreFixture {
        switch self {
        case .memory:
            return StoreFixture(
                store: try HistoryStore.inMemory(configuration: .init(windowSize: windowSize)),
                folder: nil
            )
        case .file:
            let folder = try TemporaryFolder()
            let store = try HistoryStore(
                path: folder.path("history.sqlite"),
                configuration: .init(windowSize: windowSize)
            )
            return StoreFixture(store: store, folder: folder)
        }
    }
}

/// A store plus the folder that holds its file, removed when the fixture goes away.
final class StoreFixture: Sendable {
    let store: HistoryStore
    let folder: TemporaryFolder?

    init(store: HistoryStore, folder: TemporaryFolder?) {
        self.store = store
        self.folder = folder
    }
}

/// A fresh folder under the system's temporary folder, deleted with everything in it on deinit.
final class TemporaryFolder: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("testshard-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Builders for the records the tests need, with defaults for what a test does not care about.
enum Make {
    static func run(
        _ id: String,
        at startedAt: Double = 1_000,
        kind: StoredRun.Kind = .run,
        status: StoredRun.Status = .completed,
        suite: String = "suite",
        profile: String? = nil,
        categories: [String] = [],
        branch: String? = nil,
        parent: String? = nil
    ) -> StoredRun {
        StoredRun(
            id: id,
            kind: kind,
            parentRunID: parent,
            status: status,
            startedAt: startedAt,
            suite: suite,
            root: "/src/suite",
            branch: branch,
            profile: profile,
            categories: categories
        )
    }

    static func attempt(
        _ runID: String,
        shard: Int,
        attempt: Int = 1,
        worker: String = "w1",
        items: [String] = ["tests/test_a.py"],
        exit: ShardExitKind = .ok,
        accepted: Bool = true,
        at startedAt: Double = 1_010
    ) -> StoredShardAttempt {
        StoredShardAttempt(
            runID: runID,
            shardID: shard,
            attempt: attempt,
            workerID: worker,
            workerName: "\(worker)-name",
            workerHost: "host-\(worker)",
            slot: 0,
            items: items,
            command: ["python3", "-m", "pytest"] + items,
            startedAt: startedAt,
            endedAt: startedAt + 5,
            exit: ShardExit(kind: exit, code: exit == .ok ? 0 : 1),
            logTail: ["1 passed"],
            junitState: "parsed",
            accepted: accepted
        )
    }

    static func test(
        _ testID: String,
        in attempt: StoredShardAttempt,
        _ status: TestStatus = .passed,
        duration: Double = 1,
        retry: Int = 0,
        failure: TestFailure? = nil
    ) -> StoredTestAttempt {
        let item = WorkItem(testID)
        let result = TestCaseResult(
            id: testID,
            file: item.file,
            classname: item.file.replacingOccurrences(of: "/", with: "."),
            name: item.test ?? testID,
            status: status,
            duration: duration,
            failure: failure
                ?? (status.isFailure ? TestFailure(type: "AssertionError", message: "boom", phase: .call) : nil)
        )
        return StoredTestAttempt(result: result, in: attempt, retryIndex: retry)
    }

    static func sample(
        _ item: String,
        _ duration: Double,
        _ outcome: StoredSample.Outcome = .passed,
        at recordedAt: Double = 1_020
    ) -> MeasuredDuration {
        MeasuredDuration(item: item, duration: duration, outcome: outcome, recordedAt: recordedAt, worker: "w1")
    }
}
