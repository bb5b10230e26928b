import Foundation

/// Picks the line of a command's output that best says what it was doing: for a timeout, the last
/// meaningful line before the kill is often the root cause ("Waiting for service backend…").
enum LogLines {
    private static let noise = constantRegex(
        [
            #"^[.FEsxXp]+\s*(?:\[\s*\d+%\])?$"#,  // pytest progress dots
            #"^[=\-_*~+#!]{3,}.*[=\-_*~+#!]{3,}$"#,  // banners: ==== short test summary ====, !!! KeyboardInterrupt !!!
            #"^[=\-_*~+#!]+$"#,  // rules
            // pytest's closing summary ("no tests ran in 4.68s", "8 passed, 1 failed in 3.2s") and
            // the interrupt epilogue say nothing about where a shard was stuck.
            #"^(?:no tests ran|\d+ (?:passed|failed|skipped|deselected|errors?|xfailed|xpassed|warnings?|rerun)(?:, \d+ \w+)*) in [\d.]+s\b.*$"#,
            #"^\(to show a full traceback on KeyboardInterrupt use --full-trace\)$"#,
            #"^testshard: output of .* before it was stopped:$"#,
        ].joined(separator: "|")
    )

    /// The last line that is neither blank nor progress dots nor a banner.
    static func lastMeaningful(_ lines: [String]) -> String? {
        for raw in lines.reversed() {
            for line in raw.split(separator: "\n", omittingEmptySubsequences: true).reversed() {
                let trimmed = line.trimmed
                if trimmed.isEmpty { continue }
                let ns = trimmed as NSString
                if noise.firstMatch(in: trimmed, range: NSRange(location: 0, length: ns.length)) != nil { continue }
                return trimmed
            }
        }
        return nil
    }

    /// The last `count` non-blank lines, oldest first.
    static func tail(_ lines: [String], count: Int) -> [String] {
        var out: [String] = []
        for raw in lines.reversed() {
            for line in raw.split(separator: "\n", omittingEmptySubsequences: true).reversed()
            where !line.trimmed.isEmpty {
                out.append(String(line))
                if out.count == count { return out.reversed() }
            }
        }
        return out.reversed()
    }
}
