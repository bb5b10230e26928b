/// Text gathered piece by piece (an XML body, a log) that keeps only its head and its tail once it
/// grows past a limit, so one runaway output cannot exhaust memory.
///
/// ```
///   head (limit / 2 bytes)  +  "[… N bytes cut …]"  +  tail (limit / 2 bytes)
/// ```
///
/// The head shows where things started (the failing assertion, the first traceback frame), the tail
/// how they ended (the exception line pytest prints last).
struct BoundedText: Sendable {
    /// The most UTF-8 bytes kept, head and tail together.
    let limit: Int
    private var head = ""
    private var headBytes = 0
    private var tail = ""
    private var tailBytes = 0
    /// Every byte ever appended.
    private(set) var totalBytes = 0

    init(limit: Int) {
        self.limit = max(limit, 64)
    }

    var isEmpty: Bool { totalBytes == 0 }

    private var headLimit: Int { limit / 2 }
    private var tailLimit: Int { limit - limit / 2 }

    mutating func append(_ piece: String) {
        if piece.isEmpty { return }
        let pieceBytes = piece.utf8.count
        totalBytes += pieceBytes
        var rest = Substring(piece)
        if headBytes < headLimit {
            let taken = rest.utf8Prefix(maxBytes: headLimit - headBytes)
            head += taken
            headBytes += taken.utf8.count
            rest = rest[taken.endIndex...]
        }
        guard !rest.isEmpty else { return }
        tail += rest
        tailBytes += rest.utf8.count
        // Trim only when the tail is twice its limit, so appends stay amortized O(1) per byte.
        if tailBytes > 2 * tailLimit {
            let kept = Substring(tail).utf8Suffix(maxBytes: tailLimit)
            tail = String(kept)
            tailBytes = tail.utf8.count
        }
    }

    /// The kept text, with a marker where the middle was cut.
    var text: String {
        if headBytes + tailBytes == totalBytes && headBytes + tailBytes <= limit { return head + tail }
        let kept = Substring(tail).utf8Suffix(maxBytes: tailLimit)
        let cut = totalBytes - headBytes - kept.utf8.count
        if cut <= 0 { return head + kept }
        return head + "\n[… \(cut) bytes cut …]\n" + kept
    }
}

extension StringProtocol {
    /// The longest prefix of at most `maxBytes` UTF-8 bytes that ends on a character boundary.
    func utf8Prefix(maxBytes: Int) -> SubSequence {
        if utf8.count <= maxBytes { return self[...] }
        var bytes = 0
        var end = startIndex
        for index in indices {
            let size = self[index].utf8.count
            if bytes + size > maxBytes { break }
            bytes += size
            end = self.index(after: index)
        }
        return self[startIndex..<end]
    }

    /// The longest suffix of at most `maxBytes` UTF-8 bytes that starts on a character boundary.
    func utf8Suffix(maxBytes: Int) -> SubSequence {
        if utf8.count <= maxBytes { return self[...] }
        var bytes = 0
        var start = endIndex
        while start > startIndex {
            let previous = index(before: start)
            let size = self[previous].utf8.count
            if bytes + size > maxBytes { break }
            bytes += size
            start = previous
        }
        return self[start..<endIndex]
    }
}

extension String {
    /// `self` cut to at most `limit` UTF-8 bytes, keeping its head and tail (see `BoundedText`).
    func bounded(to limit: Int) -> String {
        if utf8.count <= limit { return self }
        var text = BoundedText(limit: limit)
        text.append(self)
        return text.text
    }
}
