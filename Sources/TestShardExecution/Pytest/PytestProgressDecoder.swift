import Foundation

/// Reads the progress plugin's JSON lines. A line cut short by a kill, or anything else that is not
/// a record, is skipped: the log is evidence, not a contract the runner can break.
enum PytestProgressDecoder {
    struct Record: Decodable, Equatable {
        struct Crash: Decodable, Equatable {
            var message: String?
        }

        var event: String
        var nodeid: String?
        var rootdir: String?
        var when: String?
        var outcome: String?
        var duration: Double?
        var xfail: String?
        var crash: Crash?
        var text: String?
        var exitstatus: Int?
        /// The plugin's clock (seconds since the epoch) when it wrote the record.
        var t: Double?
    }

    static func decode(_ data: Data) -> PytestProgress {
        var progress = PytestProgress()
        var testIndex: [String: Int] = [:]
        var collectionIndex: [String: Int] = [:]
        for record in records(data) {
            switch record.event {
            case "session":
                if progress.rootdir == nil { progress.rootdir = record.rootdir }
            case "collectstart":
                guard let nodeID = record.nodeid else { continue }
                collectionIndex[nodeID] = progress.collections.count
                progress.collections.append(PytestProgress.Collection(nodeID: nodeID, startedAt: record.t))
            case "collectreport":
                guard let nodeID = record.nodeid, let outcome = record.outcome else { continue }
                let index =
                    collectionIndex[nodeID]
                    ?? {
                        progress.collections.append(PytestProgress.Collection(nodeID: nodeID))
                        return progress.collections.count - 1
                    }()
                collectionIndex[nodeID] = index
                progress.collections[index].outcome = outcome
                progress.collections[index].crashMessage = record.crash?.message
                progress.collections[index].text = record.text ?? ""
                progress.collections[index].seconds = span(from: progress.collections[index].startedAt, to: record.t)
            case "start":
                guard let nodeID = record.nodeid else { continue }
                // A test that runs again (a rerun plugin) starts a fresh entry.
                testIndex[nodeID] = progress.tests.count
                progress.tests.append(PytestProgress.Test(nodeID: nodeID, startedAt: record.t))
            case "report":
                guard let nodeID = record.nodeid, let index = testIndex[nodeID], let when = record.when,
                    let outcome = record.outcome
                else { continue }
                progress.tests[index].phases.append(
                    PytestProgress.Phase(
                        when: when,
                        outcome: outcome,
                        duration: record.duration ?? 0,
                        crashMessage: record.crash?.message,
                        text: record.text ?? "",
                        xfail: record.xfail
                    )
                )
            case "finish":
                guard let nodeID = record.nodeid, let index = testIndex[nodeID] else { continue }
                progress.tests[index].finished = true
                progress.tests[index].seconds = span(from: progress.tests[index].startedAt, to: record.t)
            case "sessionfinish":
                progress.exitStatus = record.exitstatus
            default:
                continue
            }
        }
        return progress
    }

    /// The log's records in order. Each line is read by `PytestProgressLine` when it is a flat
    /// object of strings and numbers (nearly all are); the others go to `JSONDecoder`, all in one
    /// call when every one of them is a whole record, else one by one, skipping what is not a
    /// record (a line cut short by a kill). `fastPath: false` sends every line to `JSONDecoder`.
    static func records(_ data: Data, fastPath: Bool = true) -> [Record] {
        let lines = lineRanges(data)
        var records = [Record?](repeating: nil, count: lines.count)
        var others: [Int] = []
        if fastPath {
            data.withUnsafeBytes { buffer in
                let base = data.startIndex
                for (position, range) in lines.enumerated() {
                    let line = UnsafeRawBufferPointer(
                        rebasing: buffer[(range.lowerBound - base)..<(range.upperBound - base)]
                    )
                    if let record = PytestProgressLine.parse(line) {
                        records[position] = record
                    } else {
                        others.append(position)
                    }
                }
            }
        } else {
            others = Array(lines.indices)
        }
        if !others.isEmpty {
            let decoded = decodeEach(data, others.map { lines[$0] })
            for (position, record) in zip(others, decoded) { records[position] = record }
        }
        return records.compactMap { $0 }
    }

    /// `JSONDecoder`'s reading of each line: one call for all of them when it can (a call per line
    /// cost ~40 µs), else line by line.
    private static func decodeEach(_ data: Data, _ lines: [Range<Data.Index>]) -> [Record?] {
        let decoder = JSONDecoder()
        var array = Data(capacity: lines.reduce(2) { $0 + $1.count + 1 })
        array.append(UInt8(ascii: "["))
        for (index, range) in lines.enumerated() {
            if index > 0 { array.append(UInt8(ascii: ",")) }
            array.append(data[range])
        }
        array.append(UInt8(ascii: "]"))
        if let records = try? decoder.decode([Record].self, from: array) { return records }
        return lines.map { try? decoder.decode(Record.self, from: data[$0]) }
    }

    /// The ranges of the non-empty lines of `data`.
    private static func lineRanges(_ data: Data) -> [Range<Data.Index>] {
        var ranges: [Range<Data.Index>] = []
        let start = data.startIndex
        data.withUnsafeBytes { bytes in
            var offset = 0
            while let newline = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) {
                if newline > offset { ranges.append((start + offset)..<(start + newline)) }
                offset = newline + 1
            }
            if offset < bytes.count { ranges.append((start + offset)..<(start + bytes.count)) }
        }
        return ranges
    }

    /// Seconds between two of the plugin's timestamps; `nil` when one is missing or they run
    /// backwards (a clock step), so a bad pair never makes a file look long.
    private static func span(from start: Double?, to end: Double?) -> Double? {
        guard let start, let end, end >= start, (end - start).isFinite else { return nil }
        return end - start
    }
}
