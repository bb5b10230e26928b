import TestShardModel

/// A glob prepared for matching thousands of files: a literal-prefix check turns most paths away
/// before the full match, and globs of the form `X/**` (X without `**` or braces) are decided by
/// the first segments of the path alone, so their answers are cached per folder.
struct PrefixedGlob {
    let glob: Glob
    /// The literal leading folders of the alternatives (none when one has no literal folder).
    private let prefixes: [String]
    /// For `X/**`: the number of segments of `X`. A path with more segments matches exactly when
    /// its first that-many segments match `X` (they are all folders), so the answer for those
    /// segments can be reused for every file below them.
    private let folderSegments: Int?

    init(_ glob: Glob) {
        self.glob = glob
        let literal = glob.literalPrefixes
        // An alternative without a literal folder can match anywhere: no shortcut then.
        self.prefixes = literal.contains("") ? [] : literal
        let pattern = glob.pattern
        if pattern.hasSuffix("/**"), !pattern.contains("{") {
            let head = pattern.dropLast(3)
            self.folderSegments = head.contains("**") ? nil : head.split(separator: "/").count
        } else {
            self.folderSegments = nil
        }
    }

    /// Whether `path` matches; `cache` keeps answers per leading folder for `X/**` globs.
    func matches(_ path: String, cache: inout [Substring: Bool]) -> Bool {
        if !prefixes.isEmpty && !prefixes.contains(where: { Self.isInside(path, folder: $0) }) { return false }
        guard let folderSegments, let folder = Self.leadingSegments(path, count: folderSegments) else {
            return glob.matches(path)
        }
        if let known = cache[folder] { return known }
        let answer = glob.matches(String(folder))
        cache[folder] = answer
        return answer
    }

    /// Whether `path` is `folder` or below it.
    private static func isInside(_ path: String, folder: String) -> Bool {
        guard path.hasPrefix(folder) else { return false }
        let rest = path.utf8.dropFirst(folder.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: "/")
    }

    /// The first `count` segments of `path` when it has more than `count` segments.
    private static func leadingSegments(_ path: String, count: Int) -> Substring? {
        var seen = 0
        var index = path.utf8.startIndex
        while index != path.utf8.endIndex {
            if path.utf8[index] == UInt8(ascii: "/") {
                seen += 1
                if seen == count { return path[..<index] }
            }
            index = path.utf8.index(after: index)
        }
        return nil
    }
}
