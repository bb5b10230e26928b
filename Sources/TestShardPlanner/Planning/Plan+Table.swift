import Foundation
import TestShardModel

extension Plan {
    /// The human form of `plan`: one row per shard (index, item count, estimate), then the lower
    /// bound with the item that sets it, the makespan's distance from it, split files and
    /// files planned on a guess.
    ///
    /// ```
    /// shard  items  estimate
    ///     0     12     4m10s
    ///     1     15     4m09s
    /// total 27 items, 8m19s over 2 shards
    /// lower bound 4m10s = total / 2 (longest item: tests/test_big.py::test_slow, 1m02s)
    /// estimated makespan 4m10s (+0.1% over the bound)
    /// ```
    public func renderTable() -> String {
        let rows = shards.map { shard in
            (String(shard.index), String(shard.items.count), DurationText.format(shard.estimatedSeconds))
        }
        let widths = (
            max(5, rows.map(\.0.count).max() ?? 0),
            max(5, rows.map(\.1.count).max() ?? 0),
            max(8, rows.map(\.2.count).max() ?? 0)
        )
        var lines = [
            [pad("shard", widths.0), pad("items", widths.1), pad("estimate", widths.2)].joined(separator: "  ")
        ]
        for row in rows {
            lines.append([pad(row.0, widths.0), pad(row.1, widths.1), pad(row.2, widths.2)].joined(separator: "  "))
        }
        let itemCount = shards.reduce(0) { $0 + $1.items.count }
        lines.append(
            "total \(itemCount) items, \(DurationText.format(totalSeconds)) over \(shards.count) shards"
        )
        let perShard = shards.isEmpty ? 0 : totalSeconds / Double(shards.count)
        var bound = "lower bound \(DurationText.format(lowerBoundSeconds))"
        if let longestItem {
            let setter = longestItem.seconds >= perShard ? "the longest item" : "total / \(shards.count)"
            bound += " = \(setter) (longest item: \(longestItem.item.id), \(DurationText.format(longestItem.seconds)))"
        }
        lines.append(bound)
        let over = lowerBoundSeconds > 0 ? (estimatedMakespanSeconds / lowerBoundSeconds - 1) * 100 : 0
        lines.append(
            "estimated makespan \(DurationText.format(estimatedMakespanSeconds)) "
                + "(+\(String(format: "%.1f", over))% over the bound)"
        )
        if !splitFiles.isEmpty {
            lines.append(
                "split into tests (\(splitFiles.count)): \(splitFiles.joined(separator: ", "))"
                    + " — their tests without history are not in any shard"
            )
        }
        if !unknownFiles.isEmpty {
            let shown = unknownFiles.prefix(5).joined(separator: ", ")
            let more = unknownFiles.count > 5 ? ", … (\(unknownFiles.count - 5) more)" : ""
            lines.append(
                "no history (\(unknownFiles.count) files, planned on a folder or suite median or the default): \(shown)\(more)"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
