import Foundation
import Synchronization

/// Runs a program directly (no shell) and collects its output. The shell part of the git helpers.
enum CommandRunner {
    struct Output: Sendable {
        /// The exit status (or the signal number, when it died of one).
        var status: Int32
        var stdout: Data
        var stderr: String

        var succeeded: Bool { status == 0 }
    }

    /// The executable `name` on `PATH`, or `nil`.
    static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return String(candidate) }
        }
        return nil
    }

    /// Runs `executable` with `arguments`; stdin is empty. Throws only when the program cannot be
    /// started; a non-zero exit is in `Output.status`.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]
    ) throws(WorkspaceError) -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        do {
            try process.run()
        } catch {
            throw WorkspaceError(
                code: .gitFailed,
                message: "could not start \(display(executable, arguments)): \(error.localizedDescription)"
            )
        }
        // Drain stderr on another thread while reading stdout here: a child that fills one pipe while
        // we block on the other would deadlock.
        let errData = Mutex(Data())
        let errHandle = errPipe.fileHandleForReading
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let data = errHandle.readDataToEndOfFile()
            errData.withLock { $0 = data }
            group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let err = errData.withLock { String(decoding: $0, as: UTF8.self) }
        return Output(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// `git -C /x diff …` as a person would type it, for messages.
    static func display(_ executable: String, _ arguments: [String]) -> String {
        ([(executable as NSString).lastPathComponent] + arguments).map { word in
            word.isEmpty || word.contains(where: { " \"'$\\".contains($0) }) ? "'\(word)'" : word
        }.joined(separator: " ")
    }
}
