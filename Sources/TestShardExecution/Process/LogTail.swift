import Foundation

/// The last lines of a (possibly huge, possibly still growing) log file, read from its end only.
///
/// Lines are what a terminal would show: a carriage return (progress bars) keeps only what follows
/// it, ANSI colour sequences are removed, and each line is cut to `maxLineLength` characters.
public enum LogTail {
    /// The last `maxLines` non-empty lines of the file at `path`; empty when it cannot be read.
    public static func read(path: String, maxLines: Int = 50, maxLineLength: Int = 500) -> [String] {
        guard maxLines > 0, let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        // Enough bytes for the lines wanted, bounded so a 10 GB log costs one small read.
        let window = UInt64(min(max(maxLines * (maxLineLength + 1) * 2, 4096), 1 << 20))
        guard let size = try? handle.seekToEnd() else { return [] }
        let start = size > window ? size - window : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return [] }
        return lines(of: data, droppingFirst: start > 0, maxLines: maxLines, maxLineLength: maxLineLength)
    }

    /// The same for bytes in memory. `droppingFirst` discards the first (partial) line.
    public static func lines(of data: Data, droppingFirst: Bool = false, maxLines: Int, maxLineLength: Int) -> [String]
    {
        var text = Substring(String(decoding: data, as: UTF8.self))
        if droppingFirst, let newline = text.firstIndex(of: "\n") { text = text[text.index(after: newline)...] }
        var out: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true).reversed() {
            let shown = clean(raw.split(separator: "\r", omittingEmptySubsequences: true).last ?? "")
            guard !shown.allSatisfy(\.isWhitespace) else { continue }
            out.append(shown.count > maxLineLength ? String(shown.prefix(maxLineLength)) + "…" : shown)
            if out.count == maxLines { break }
        }
        return out.reversed()
    }

    private static func clean(_ line: Substring) -> String {
        var out = String.UnicodeScalarView()
        var scalars = line.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "\u{1B}" {
                // Skip a CSI sequence: ESC [ parameters final-byte.
                if let next = scalars.next(), next == "[" {
                    while let c = scalars.next(), !(0x40...0x7E).contains(c.value) {}
                }
                continue
            }
            if scalar.value < 0x20 && scalar != "\t" { continue }
            out.append(scalar)
        }
        return String(out)
    }
}
