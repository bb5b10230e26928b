import Foundation
import TestShardModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The suite's test files: every regular file under the root that matches `include` and no `exclude`,
/// as paths relative to the root (`/`-separated), sorted by bytes so every machine gets the same list.
///
/// ```
///  include globs ──> literal prefixes ("tests/api/**/test_*.py" → tests/api)
///        │
///        ├─ inside a git checkout: git ls-files --cached --others --exclude-standard -- <prefixes>
///        │     (ignored files never show up; ignored folders are never walked)
///        └─ otherwise: walk the prefixes (no directory symlinks followed, .git skipped)
///        │
///        v
///  keep regular files (lstat; none under a symlinked folder) ──> include/exclude ──> sort by bytes
/// ```
///
/// Listing via git rather than walking and then intersecting with git's list gives the same set
/// (git lists neither ignored files nor anything beyond a symlink or inside a nested repository) and
/// never descends into large ignored folders (`node_modules`, `.venv`, build output).
public enum Inventory {
    /// The suite's test files. Throws when the root or a folder under it cannot be read, or git fails
    /// inside a checkout (the message names the folder or the command).
    public static func discover(_ configuration: SuiteConfiguration) throws(WorkspaceError) -> [String] {
        let root = configuration.root
        guard FileTree.kind(of: root, followingSymlink: true) == .directory else {
            throw WorkspaceError(
                code: .unreadableFolder,
                message: "the suite root \(root) is not a folder (the config is \(configuration.file))"
            )
        }
        let prefixes = walkPrefixes(for: configuration.include)
        let files = configuration.files
        var tree = FileTree(root: root)
        if let listed = try GitInfo.nonIgnoredFiles(root: root, prefixes: prefixes) {
            // Match first (cheap, no I/O), then lstat only what matched.
            let matching = select(paths: listed, using: files)
            return matching.filter { tree.isRegularFileWithoutSymlinkedFolders($0) }
        }
        var found: [String] = []
        for prefix in prefixes { try tree.walk(prefix, into: &found) }
        return select(paths: found, using: files)
    }

    /// The paths of `paths` that `files` selects, each once, sorted by bytes. Pure.
    public static func select(paths: [String], using files: GlobSet) -> [String] {
        GitInfo.sortedUnique(paths.filter(files.matches))
    }

    /// The folders to list: each include glob's literal prefixes, minus any inside another one. An empty
    /// prefix (a glob starting with a wildcard) means the whole root.
    static func walkPrefixes(for include: [Glob]) -> [String] {
        let all = Set(include.flatMap(\.literalPrefixes))
        if all.contains("") { return [""] }
        let sorted = all.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var kept: [String] = []
        for prefix in sorted where !kept.contains(where: { prefix.hasPrefix($0 + "/") }) {
            kept.append(prefix)
        }
        return kept
    }
}
