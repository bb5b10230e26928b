import Foundation

/// Where the executables under test are: beside the test bundle, as SwiftPM builds them.
enum Binaries {
    static let directory: URL = {
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent()
    }()

    static var coordinator: String { directory.appendingPathComponent("testshard-coordinator").path }
    static var worker: String { directory.appendingPathComponent("testshard-worker").path }

    /// The repository root (for the example suite).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
