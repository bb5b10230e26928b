import Foundation
import TestShardModel

/// The worker/shard timeline as inline SVG (Gantt style):
///
/// ```
///  w1 slot 0 │ ███ s1 ███  ▒▒▒ s4 timeout ▒▒▒│
///  w1 slot 1 │ ██ s2 ██ ████ s5 ████          │
///  w2 slot 0 │ ███ s3 ███│ ← red line: w2 lost
///            0s         30s        60s
/// ```
///
/// One lane per worker slot, one bar per shard attempt coloured by exit kind (timeouts hatched),
/// a red line where a worker was lost, dashed lines at the first failure of the top clusters.
struct TimelineSVG {
    let report: GardenerReport

    static let legend: [(String, String)] = [
        ("ok", "ok"), ("tests_failed", "tests failed"), ("timeout", "timeout"), ("crash", "crash"),
        ("lost", "lost"), ("no_results", "no results"), ("cancelled", "cancelled / refused"),
    ]

    /// Fill per exit kind, as presentation attributes so the SVG also renders on its own (the
    /// page's CSS only adds highlighting).
    static func fill(_ kind: ShardExitKind) -> String {
        switch kind {
        case .ok: "#2da44e"
        case .testsFailed: "#e16f24"
        case .timeout: "url(#hatch)"
        case .crash: "#a40e26"
        case .lost: "#6e7781"
        case .noResults: "#8250df"
        case .refused, .cancelled: "#d0d7de"
        }
    }

    private let labelWidth = 150.0
    private let plotWidth = 1050.0
    private let laneHeight = 16.0
    private let laneGap = 3.0
    private let top = 8.0
    private let axisHeight = 24.0

    func svg() -> String {
        let start = report.run.startedAt
        let lastEnd = report.shards.map(\.endedAt).max() ?? report.run.endedAt
        let span = max(max(report.run.endedAt, lastEnd) - start, 1)

        // Lanes: every worker's slots in worker order; shards of unknown workers in a last lane group.
        var workerOrder = report.workers.map(\.id)
        var slotsByWorker: [String: Int] = Dictionary(
            report.workers.map { ($0.id, max($0.slots, 1)) },
            uniquingKeysWith: { first, _ in first }
        )
        for shard in report.shards {
            let worker = shard.workerId ?? "(no worker)"
            if slotsByWorker[worker] == nil {
                workerOrder.append(worker)
                slotsByWorker[worker] = 1
            }
            slotsByWorker[worker] = max(slotsByWorker[worker] ?? 1, shard.slot + 1)
        }
        var laneTop: [String: Double] = [:]
        var y = top
        var labels = ""
        for worker in workerOrder {
            laneTop[worker] = y
            let slots = slotsByWorker[worker] ?? 1
            for slot in 0..<slots {
                let laneY = y + Double(slot) * (laneHeight + laneGap)
                labels +=
                    "<text class=\"lane-label\" x=\"4\" y=\"\(f(laneY + laneHeight - 4))\" font-size=\"11\" fill=\"#5a6372\">\(e(worker)) · \(slot)</text>\n"
            }
            y += Double(slots) * (laneHeight + laneGap) + 4
        }
        let plotBottom = y
        let height = plotBottom + axisHeight
        let width = labelWidth + plotWidth + 20
        func x(_ t: Double) -> Double { labelWidth + (t - start) / span * plotWidth }

        var out =
            "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"worker and shard timeline\">\n"
        out +=
            "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f5c04a\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9a6700\" stroke-width=\"3\"/></pattern></defs>\n"

        // Axis and grid.
        let step = Self.tickStep(span)
        var tick = 0.0
        while tick <= span + 1e-9 {
            let tx = x(start + tick)
            out +=
                "<line class=\"grid\" x1=\"\(f(tx))\" y1=\"\(f(top))\" x2=\"\(f(tx))\" y2=\"\(f(plotBottom))\" stroke=\"#eef1f5\"/><text class=\"axis\" x=\"\(f(tx))\" y=\"\(f(plotBottom + 14))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#5a6372\">\(e(Self.tickLabel(tick)))</text>\n"
            tick += step
        }
        out += labels

        // Bars.
        for shard in report.shards {
            let worker = shard.workerId ?? "(no worker)"
            let laneY = (laneTop[worker] ?? top) + Double(shard.slot) * (laneHeight + laneGap)
            let x0 = x(shard.startedAt)
            let barWidth = max(x(shard.endedAt) - x0, 1.5)
            var classes = "bar \(shard.exit.kind.rawValue)"
            if !shard.accepted { classes += " discarded" }
            let stroke =
                shard.exit.kind == .timeout
                ? " stroke=\"#9a6700\"" : shard.accepted ? "" : " stroke=\"#1d2330\" stroke-dasharray=\"3 2\""
            out +=
                "<rect class=\"\(classes)\" data-key=\"\(e(shard.id))#\(shard.attempt)\" x=\"\(f(x0))\" y=\"\(f(laneY))\" width=\"\(f(barWidth))\" height=\"\(f(laneHeight))\" fill=\"\(Self.fill(shard.exit.kind))\"\(stroke)><title>\(e("\(shard.id) attempt \(shard.attempt) · \(shard.exitLabel) · \(DurationText.format(shard.durationSeconds)) · \(shard.items.count) item(s) · P/F/E/S \(shard.tests.text)"))</title></rect>\n"
        }

        // Lost workers.
        for worker in report.workers where worker.lost {
            let lostAt =
                worker.leftAt
                ?? report.shards.filter { $0.workerId == worker.id }.map(\.endedAt).max() ?? report.run.endedAt
            let laneY = laneTop[worker.id] ?? top
            let laneBottom = laneY + Double(slotsByWorker[worker.id] ?? 1) * (laneHeight + laneGap)
            out +=
                "<line class=\"lost-line\" stroke=\"#cf222e\" stroke-width=\"2\" x1=\"\(f(x(lostAt)))\" y1=\"\(f(laneY - 2))\" x2=\"\(f(x(lostAt)))\" y2=\"\(f(laneBottom))\"><title>\(e("worker \(worker.id) lost at +\(DurationText.format(max(0, lostAt - start)))\(worker.lostReason.map { ": \($0)" } ?? "")"))</title></line>\n"
        }

        // First occurrence of the top clusters.
        for cluster in report.clusters.prefix(5) {
            let cx = x(start + cluster.firstAtOffset)
            out +=
                "<line class=\"cluster-line\" stroke=\"#0969da\" stroke-dasharray=\"4 3\" x1=\"\(f(cx))\" y1=\"\(f(top))\" x2=\"\(f(cx))\" y2=\"\(f(plotBottom))\"><title>\(e("first \(cluster.id): \(String(cluster.normalized.prefix(120)))"))</title></line>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// A 1-2-5 step giving at most about ten ticks.
    static func tickStep(_ span: Double) -> Double {
        let raw = span / 10
        let magnitude = pow(10, (log10(max(raw, 1e-3))).rounded(.down))
        for factor in [1.0, 2, 5, 10] where magnitude * factor >= raw { return magnitude * factor }
        return magnitude * 10
    }

    static func tickLabel(_ seconds: Double) -> String {
        seconds == 0 ? "0s" : DurationText.format(seconds)
    }

    /// Coordinates with at most one decimal, so the output is short and stable.
    private func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

private func e(_ text: String) -> String { HTML.escape(text) }
