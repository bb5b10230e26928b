import Foundation
import Logging
import TestShardModel
import TestShardScheduler

/// Shows how a run is going: on a terminal a live line on stderr (files done / total, failures so
/// far, workers, ETA from the estimates); otherwise a log line every `interval` seconds.
struct ProgressReporter {
    let engine: RunEngine
    let interval: Double
    let logger: Logger

    func run() async {
        let live = isatty(STDERR_FILENO) == 1
        var lastLog = 0.0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(live ? 500 : 1000))
            if Task.isCancelled { break }
            let snapshot = await engine.snapshot()
            let line = Self.line(snapshot)
            if live {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            } else {
                let now = Date().timeIntervalSince1970
                if now - lastLog >= interval {
                    lastLog = now
                    logger.info("progress: \(line)")
                }
            }
        }
        if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// `37/120 items · 3 failed · 2 flaky · 4 workers (8 slots, 6 busy) · queue 80 · ETA 1m20s`
    static func line(_ snapshot: SchedulerSnapshot) -> String {
        var parts = ["\(snapshot.itemsFinal)/\(snapshot.itemsTotal) items"]
        if snapshot.itemsFailed > 0 { parts.append("\(snapshot.itemsFailed) failed") }
        if snapshot.itemsFlaky > 0 { parts.append("\(snapshot.itemsFlaky) flaky") }
        parts.append(
            "\(snapshot.workers) workers (\(snapshot.totalSlots) slots, \(snapshot.totalSlots - snapshot.freeSlots) busy)"
        )
        parts.append("queue \(snapshot.queueDepth)")
        if let eta = snapshot.etaSeconds { parts.append("ETA \(DurationText.format(eta))") }
        return parts.joined(separator: " · ")
    }
}
