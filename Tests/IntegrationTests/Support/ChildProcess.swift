import Foundation

/// A real process started by a test: output goes to files (no pipe can fill up and block it), and
/// it is killed when the test is done with it.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let outputPath: String
    let errorPath: String

    init(_ executable: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        let logs = directory.appendingPathComponent(".logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let tag = UUID().uuidString.prefix(8)
        let name = URL(fileURLWithPath: executable).lastPathComponent
        outputPath = logs.appendingPathComponent("\(name)-\(tag).out").path
        errorPath = logs.appendingPathComponent("\(name)-\(tag).err").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        // When the tests themselves run in GitHub Actions, the runs they start must not append
        // their reports to the CI job's summary; a test that wants one passes its own file.
        env["GITHUB_STEP_SUMMARY"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits for the exit; kills the process and returns nil after `timeout` seconds.
    func wait(timeout: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                Foundation.kill(pid, SIGKILL)
                return nil
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Waits until `text` shows up in stdout or stderr; returns the text's line.
    func waitFor(_ text: String, timeout: Double) async -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        // Looks once more after the deadline or the exit: on a busy machine this task may resume
        // only after both, with the line already printed.
        func find() -> String? {
            (output + "\n" + errors).split(separator: "\n").first { $0.contains(text) }.map(String.init)
        }
        while Date() < deadline, process.isRunning {
            if let line = find() { return line }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return find()
    }

    /// The `HOST:PORT` a coordinator printed it listens on ("testshard: run …; listening on …").
    func listeningAddress(timeout: Double = 60) async -> String? {
        guard let line = await waitFor("listening on ", timeout: timeout) else { return nil }
        return line.components(separatedBy: "listening on ").last?.trimmingCharacters(in: .whitespaces)
    }

    func kill(signal: Int32 = SIGKILL) {
        if process.isRunning { Foundation.kill(pid, signal) }
    }

    /// Everything it printed, for a failure message.
    var transcript: String { "--- stdout ---\n\(output)\n--- stderr ---\n\(errors)" }

    deinit { kill() }
}

/// Runs a command to the end and returns its status and output.
func runToEnd(
    _ executable: String,
    _ arguments: [String],
    in directory: URL,
    environment: [String: String] = [:],
    timeout: Double = 300
) async throws -> (status: Int32?, process: ChildProcess) {
    let child = try ChildProcess(executable, arguments, in: directory, environment: environment)
    let status = await child.wait(timeout: timeout)
    return (status, child)
}
