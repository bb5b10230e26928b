import Foundation

/// What a figure was measured on: printed at the top of every benchmark, because absolute times
/// on a shared machine mean little without the load they were taken under.
enum Machine {
    /// `nproc`, memory in GiB, the load averages, the kernel and the build configuration.
    static func describe() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        #if DEBUG
        let build = "debug build (figures are not representative: use -c release)"
        #else
        let build = "release build"
        #endif
        return "machine: \(cores) cores, \(String(format: "%.1f", memory)) GiB RAM, load \(loadAverage()), "
            + "\(kernel()), \(build)"
    }

    /// The three load averages of /proc/loadavg.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    private static func kernel() -> String {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "Linux \(release) \(machine)"
    }
}
