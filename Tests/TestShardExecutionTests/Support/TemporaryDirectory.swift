import Foundation

/// A fresh folder under the system temporary directory, removed when the test is done with it.
final class TemporaryDirectory: Sendable {
    let path: String

    init(_ label: String = "testshard") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath().path
        path = base + "/\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `relative` (folders created), returning the absolute path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func read(_ relative: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path + "/" + relative))).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Whether the process is gone (or a zombie waiting to be reaped by init): it runs no code.
func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    // Field 3 follows the parenthesised command name.
    guard let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    return state == "Z" || state == "X"
}

/// Polls `condition` for up to `seconds` (processes killed a moment ago may need a beat to go).
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}

/// The environment tests give their commands: PATH and HOME from the test process, nothing else.
let minimalEnvironment: [String: String] = {
    let current = ProcessInfo.processInfo.environment
    return ["PATH": current["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "HOME": current["HOME"] ?? "/tmp"]
}()
