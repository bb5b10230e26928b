import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock (`flock`) that workers sharing one checkout take around the `swift` runner's
/// build: the build holds it exclusively, a shard's test processes hold it shared.
///
/// Why: SwiftPM rewrites its build description even in a build with nothing to do, and a
/// `swift test --skip-build --ignore-lock --parallel` of another worker that starts meanwhile finds
/// no XCTest tests ("No matching test cases were run") and exits 0 — measured here: 10 of 10 such
/// runs while another process looped over `swift build --build-tests`. SwiftPM's own lock cannot
/// help, because the test processes must skip it to run side by side.
///
/// The lock is released when the value is released (`release()`) or the process ends.
struct BuildLock: Sendable {
    private let descriptor: Int32

    /// Where the workers of one suite root meet: TestShard's own folder in it.
    static func path(suiteRoot: String) -> String { suiteRoot + "/.testshard/swift-build.lock" }

    /// Waits for the lock (on a thread of its own, not the caller's executor) and returns it, or
    /// `nil` when the lock file cannot be opened (a read-only root): the shard then runs unguarded,
    /// as it would without other workers.
    static func acquire(suiteRoot: String, exclusive: Bool) async -> BuildLock? {
        let path = path(suiteRoot: suiteRoot)
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        let operation = exclusive ? LOCK_EX : LOCK_SH
        if flock(descriptor, operation | LOCK_NB) == 0 { return BuildLock(descriptor: descriptor) }
        let locked: Bool = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var result: Int32
                repeat { result = flock(descriptor, operation) } while result != 0 && errno == EINTR
                continuation.resume(returning: result == 0)
            }
        }
        guard locked else {
            close(descriptor)
            return nil
        }
        return BuildLock(descriptor: descriptor)
    }

    /// Releases the lock. Call once.
    func release() { close(descriptor) }
}
