import Foundation
import Synchronization
import Testing

@testable import TestShardExecution

/// Workers sharing a checkout: one's swift build never overlaps another's test processes.
@Suite struct BuildLockTests {
    @Test func testsWaitForABuildAndRunTogether() async throws {
        let root = try TemporaryDirectory()
        let build = try #require(await BuildLock.acquire(suiteRoot: root.path, exclusive: true))
        let acquired = Atomic<Bool>(false)
        let waiting = Task {
            let lock = await BuildLock.acquire(suiteRoot: root.path, exclusive: false)
            acquired.store(true, ordering: .sequentiallyConsistent)
            return lock
        }
        try await Task.sleep(for: .milliseconds(300))
        let startedDuringTheBuild = acquired.load(ordering: .sequentiallyConsistent)
        #expect(!startedDuringTheBuild, "the tests started during the build")
        build.release()
        let tests = try #require(await waiting.value)
        // Another worker's tests run beside them.
        let other = try #require(await BuildLock.acquire(suiteRoot: root.path, exclusive: false))
        other.release()
        tests.release()
        #expect(FileManager.default.fileExists(atPath: root.path + "/.testshard/swift-build.lock"))
    }

    @Test func aRootWhereNoLockCanBeMadeRunsUnguarded() async {
        let lock = await BuildLock.acquire(suiteRoot: "/proc/no-such-root", exclusive: true)
        #expect(lock == nil)
    }
}
