import Foundation
import TestShardModel

/// Decides whether a worker may run a shard's items (issue 6, worker safety): the coordinator only
/// ever sends names, and a name must not become a way to run or read anything outside the suite.
///
/// An item's file part must be:
/// 1. non-empty, without NUL or line breaks (anywhere in the item) or empty segments;
/// 2. relative, without `.` or `..` segments, and not starting with `-`;
/// 3. matched by the include globs (and no exclude);
/// 4. inside the suite root once symlinks are resolved, and a regular file.
///
/// Steps 1–3 are pure; step 4 asks the file system.
public struct ItemValidator: Sendable {
    /// The suite root, absolute.
    public let root: String
    public let include: GlobSet
    private let resolvedRoot: String

    public init(root: String, include: GlobSet) {
        self.root = root
        self.include = include
        self.resolvedRoot = Self.resolved(root)
    }

    /// `path` with every symlink resolved: `realpath(3)` when the file exists (one call; Foundation's
    /// URL resolution took 36 µs an item, 91 ms over a worker's ~2500 seed files), else Foundation's
    /// resolution of what does exist.
    static func resolved(_ path: String) -> String {
        if let pointer = realpath(path, nil) {
            defer { free(pointer) }
            return String(cString: pointer)
        }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// Checks every item; the first bad one refuses the whole shard.
    public func validate(_ items: [WorkItem]) -> ItemRefusal? {
        for item in items {
            if let refusal = check(item) { return refusal }
        }
        return nil
    }

    /// The checks that need no file system: shape and globs.
    public func checkName(_ item: WorkItem) -> ItemRefusal? {
        func refuse(_ code: ItemRefusal.Code, _ why: String) -> ItemRefusal {
            ItemRefusal(code: code, item: item, message: "refused item \(Self.quoted(item.id)): \(why)")
        }
        let file = item.file
        if file.isEmpty { return refuse(.malformed, "it has no file part; send `path` or `path::test`") }
        if item.id.contains(where: { $0 == "\0" || $0 == "\n" || $0 == "\r" }) {
            return refuse(.malformed, "it contains a NUL or line break, which no test file name has")
        }
        if file.hasPrefix("/") {
            return refuse(.absolute, "it is an absolute path; items are relative to the suite root")
        }
        if file.hasPrefix("-") {
            return refuse(.looksLikeOption, "it starts with '-', so the test runner would read it as an option")
        }
        for segment in file.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return refuse(.malformed, "it has an empty path segment ('//' or a trailing '/')") }
            if segment == ".." || segment == "." {
                return refuse(.dotSegment, "it has a '\(segment)' segment; items are plain paths below the suite root")
            }
        }
        if !include.matches(file) {
            return refuse(
                .outsideGlobs,
                "\(file) is not selected by this worker's include/exclude globs; check that coordinator and worker use the same config"
            )
        }
        return nil
    }

    private func check(_ item: WorkItem) -> ItemRefusal? {
        if let refusal = checkName(item) { return refusal }
        let file = item.file
        let resolved = Self.resolved(resolvedRoot + "/" + file)
        guard resolved.hasPrefix(resolvedRoot + "/") else {
            return ItemRefusal(
                code: .escapesRoot,
                item: item,
                message:
                    "refused item \(Self.quoted(item.id)): \(file) resolves to \(resolved), outside the suite root \(resolvedRoot)"
            )
        }
        var status = stat()
        guard stat(resolved, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            return ItemRefusal(
                code: .missing,
                item: item,
                message:
                    "refused item \(Self.quoted(item.id)): there is no file \(file) under \(root); is the worker's checkout at the coordinator's revision?"
            )
        }
        return nil
    }

    private static func quoted(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\0": "\\0"
            case "\n": "\\n"
            case "\r": "\\r"
            default: String(scalar)
            }
        }
        return "\"" + escaped.joined() + "\""
    }
}
