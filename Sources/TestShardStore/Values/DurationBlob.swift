import Foundation

/// The stored form of a duration window: the durations as consecutive little-endian IEEE-754
/// binary64 values (8 bytes each, newest first).
///
/// Planning reads one window per file, 5000 of them inside a 50 ms budget. Measured on this
/// project's 2-core build machine, reading 5000 windows stored as JSON text (`[12.5,11.75]`) costs
/// ~2 µs per window just to parse the numbers (even with a byte-wise parser; a general JSON decoder
/// is ten times worse), against ~0.3 µs to copy them out of a BLOB. The raw samples stay
/// human-readable in `duration_sample`; `hex(durations)` shows a window in the `sqlite3` shell.
enum DurationBlob {
    /// The bytes of `durations`, 8 per value.
    static func encode(_ durations: [Double]) -> Data {
        var data = Data(capacity: durations.count * 8)
        for value in durations {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The values in `data`; throws `corrupt` unless it is a whole number of finite values.
    static func decode(_ data: Data?) throws(HistoryStoreError) -> [Double] {
        guard let data else { return [] }
        guard data.count % 8 == 0 else { throw malformed("\(data.count) bytes, not a multiple of 8") }
        let values = data.withUnsafeBytes { raw in
            (0..<(raw.count / 8)).map { index in
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
            }
        }
        if let bad = values.first(where: { !$0.isFinite || $0 < 0 }) { throw malformed("it holds \(bad)") }
        return values
    }

    private static func malformed(_ detail: String) -> HistoryStoreError {
        HistoryStoreError(
            code: .corrupt,
            message: "a duration window is damaged (\(detail)); rebuild the windows from the samples "
                + "(HistoryStore.rebuildDurationWindows)",
            path: nil
        )
    }
}
