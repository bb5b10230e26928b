import Foundation

/// Maps what a JUnit test case says about its location (a `file` attribute, or a dotted
/// `classname` such as `tests.api.test_users.TestCreate`) to a test file relative to the suite
/// root.
///
/// Candidates (the shard's items, or the whole inventory) come first: a dotted name or a path is
/// matched against them exactly, then by a unique suffix, which absorbs a pytest `rootdir` below
/// the suite root (`test_users.py` → `tests/api/test_users.py`). Lookups are dictionary hits per
/// dotted prefix, so 50,000 test cases against 5,000 candidates stay linear.
struct TestFileResolver: Sendable {
    private let candidates: Set<String>
    private let byModule: [String: String]
    private let bySuffixModule: [String: String]
    private let bySuffixPath: [String: String]
    private let ambiguousSuffixes: Set<String>
    /// Prepended to paths no candidate explains (`sub/` when pytest's rootdir is `<root>/sub`).
    let pathPrefix: String
    /// `pathPrefix` as a dotted module prefix (`sub.`), empty when there is none.
    private let prefixModule: String

    init(candidates: [String], pathPrefix: String) {
        var set = Set<String>()
        var byModule: [String: String] = [:]
        var bySuffixModule: [String: String] = [:]
        var bySuffixPath: [String: String] = [:]
        var ambiguous = Set<String>()
        func note(_ key: String, _ file: String, in table: inout [String: String]) {
            if let existing = table[key], existing != file {
                ambiguous.insert(key)
            } else {
                table[key] = file
            }
        }
        for raw in candidates {
            let file = Self.normalize(raw)
            guard !file.isEmpty, set.insert(file).inserted else { continue }
            let module = Self.module(ofPath: file)
            byModule[module] = file
            let segments = file.split(separator: "/")
            for start in 1..<max(segments.count, 1) {
                let suffix = segments[start...].joined(separator: "/")
                note("p:" + suffix, file, in: &bySuffixPath)
                note("m:" + Self.module(ofPath: suffix), file, in: &bySuffixModule)
            }
        }
        self.candidates = set
        self.byModule = byModule
        self.bySuffixModule = bySuffixModule
        self.bySuffixPath = bySuffixPath
        self.ambiguousSuffixes = ambiguous
        let prefix = Self.normalize(pathPrefix)
        self.pathPrefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        self.prefixModule = String(self.pathPrefix.map { $0 == "/" ? "." : $0 })
    }

    /// `path` with `\` turned into `/`, leading `./` and `/`-runs removed.
    static func normalize(_ path: String) -> String {
        // Byte-level: this runs for every test case, and Foundation's string replacing is slow on Linux.
        let slash = UInt8(ascii: "/")
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            let byte = byte == UInt8(ascii: "\\") ? slash : byte
            if byte == slash && out.last == slash { continue }
            out.append(byte)
        }
        var start = 0
        while out.count - start >= 2 && out[start] == UInt8(ascii: ".") && out[start + 1] == slash { start += 2 }
        return String(decoding: out[start...], as: UTF8.self)
    }

    /// The dotted module name pytest derives from a path: extension dropped, `/` → `.`.
    static func module(ofPath path: String) -> String {
        var bytes = Array(path.utf8)
        if let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > 0,
            !bytes[dot...].contains(UInt8(ascii: "/"))
        {
            bytes.removeSubrange(dot...)
        }
        for index in bytes.indices where bytes[index] == UInt8(ascii: "/") { bytes[index] = UInt8(ascii: ".") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The suite-root path for a `file` attribute.
    func resolve(path raw: String) -> String {
        let path = Self.normalize(raw)
        if candidates.contains(path) { return path }
        if !pathPrefix.isEmpty, candidates.contains(pathPrefix + path) { return pathPrefix + path }
        if !ambiguousSuffixes.contains("p:" + path), let file = bySuffixPath["p:" + path] { return file }
        return pathPrefix + path
    }

    /// The candidate file whose module is the longest dotted prefix of `dotted`, and the dotted
    /// parts after it (pytest's class names), or `nil` when no candidate matches.
    func resolve(dotted: String) -> (file: String, rest: [String])? {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, !candidates.isEmpty else { return nil }
        for count in stride(from: parts.count, through: 1, by: -1) {
            let module = parts[..<count].joined(separator: ".")
            let rest = Array(parts[count...])
            if let file = byModule[module] { return (file, rest) }
            if !prefixModule.isEmpty, let file = byModule[prefixModule + module] {
                return (file, rest)
            }
            let key = "m:" + module
            if !ambiguousSuffixes.contains(key), let file = bySuffixModule[key] { return (file, rest) }
        }
        return nil
    }

    /// pytest's own mapping when no candidate is known: the module ends at the last part named like
    /// a test module (`test_*`, `*_test`), else before the first capitalised part (a class).
    func guessPythonPath(dotted: String) -> (file: String, rest: [String])? {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else { return nil }
        var moduleCount = 0
        if let last = parts.lastIndex(where: { $0.hasPrefix("test_") || $0.hasSuffix("_test") }) {
            moduleCount = last + 1
        } else {
            moduleCount = parts.firstIndex(where: { $0.first?.isUppercase == true }) ?? parts.count
        }
        guard moduleCount > 0 else { return nil }
        let file = pathPrefix + parts[..<moduleCount].joined(separator: "/") + ".py"
        return (file, Array(parts[moduleCount...]))
    }
}
