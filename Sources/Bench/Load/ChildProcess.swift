import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its output in files, reaped with `wait4` so its
/// own resource usage (CPU time, peak RSS) is known exactly — Foundation's `Process` reaps children
/// itself and loses that.
final class ChildProcess: Sendable {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String

    /// How the child ended and what it used.
    struct Exit {
        var status: Int32
        var userSeconds: Double
        var systemSeconds: Double
        var maxRSSKiB: Int
    }

    init(arguments: [String], stdoutPath: String, stderrPath: String) throws {
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, arguments[0], &actions, nil, argv, environ)
        guard status == 0 else {
            throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    /// Waits for the end without blocking a thread of the concurrency pool (polls every 20 ms).
    func wait() async -> Exit {
        while true {
            var status: Int32 = 0
            var usage = rusage()
            let result = wait4(pid, &status, WNOHANG, &usage)
            if result == pid {
                func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                return Exit(
                    status: code,
                    userSeconds: seconds(usage.ru_utime),
                    systemSeconds: seconds(usage.ru_stime),
                    maxRSSKiB: usage.ru_maxrss
                )
            }
            if result < 0 && errno != EINTR {
                return Exit(status: -1, userSeconds: .nan, systemSeconds: .nan, maxRSSKiB: 0)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// CPU seconds (user + system) so far, from /proc/<pid>/stat; nil once the process is gone.
    func cpuSeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A `Vm…` figure of /proc/<pid>/status in KiB (`VmHWM` is the peak resident set).
    func memoryKiB(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            // "VmHWM:\t  266144 kB": a tab, padding, the number, the unit.
            return Int(line.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first ?? "")
        }
        return nil
    }
}
