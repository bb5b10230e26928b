/// "Did you mean …?" for a misspelt key or value: the allowed word closest to what was written.
enum KeySuggestion {
    /// The allowed word closest to `word`, or `nil` when none is plausibly meant.
    ///
    /// Close means: equal after folding case and `-`/`_` (`shard-timeout`, `Shard_Timeout`), within an
    /// edit distance of about a third of the word, of the whole allowed word or of one of its `_` parts
    /// (`shard_timout`, `criticallity`, `timout`), or one containing the other (`rule` → `triage_rule`), or sharing a start (`retry` → `retries`).
    static func closest(to word: String, in allowed: [String]) -> String? {
        let folded = fold(word)
        guard !folded.isEmpty else { return nil }
        var best: (word: String, distance: Int)? = nil
        let limit = max(1, folded.count / 3)
        for candidate in allowed {
            // Compare with the whole word and with each `_` part of it, so `timout` finds `shard_timeout`.
            let whole = fold(candidate)
            let parts = whole.split(separator: "_").filter { $0.count >= 3 }.map(Array.init)
            let distance = ([whole] + (parts.count > 1 ? parts : [])).map { editDistance(folded, $0) }.min() ?? Int.max
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        if let best { return best.word }
        guard folded.count >= 3 else { return nil }
        let containing = allowed.filter { candidate in
            let other = fold(candidate)
            return other.count >= 3 && (other.contains(folded) || folded.contains(other))
        }
        if let contained = containing.min(by: { abs($0.count - word.count) < abs($1.count - word.count) }) {
            return contained
        }
        // A shared start of four or more characters, at least half the shorter word (`retry` → `retries`).
        let prefixed = allowed.map { candidate -> (String, Int) in
            let other = fold(candidate)
            let shared = zip(folded, other).prefix { $0 == $1 }.count
            return (candidate, shared >= 4 && shared * 2 >= min(folded.count, other.count) ? shared : 0)
        }
        guard let best = prefixed.max(by: { $0.1 < $1.1 }), best.1 > 0 else { return nil }
        return best.0
    }

    /// `; did you mean "x"?` or the empty string.
    static func hint(for word: String, in allowed: [String]) -> String {
        guard let match = closest(to: word, in: allowed), match != word else { return "" }
        return "; did you mean \(ConfigValueText.quoted(match))?"
    }

    private static func fold(_ word: String) -> [Character] {
        Array(word.lowercased().map { $0 == "-" ? "_" : $0 })
    }

    /// Levenshtein distance, two rows.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
