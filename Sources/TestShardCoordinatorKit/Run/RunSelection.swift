import Foundation
import TestShardConfig
import TestShardModel

/// Which files of the suite a run covers: the inventory, narrowed by `--category`, `--files`,
/// `--files-from` and `--changed-since`. Every path the user names must select something; a path
/// that matches nothing is an error naming it.
struct RunSelection {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    var categories: [String] = []
    var files: [String] = []
    var filesFrom: String? = nil
    var changedSince: String? = nil

    /// The selected files, sorted, from the suite's inventory `all`.
    func select(from all: [String], configuration: SuiteConfiguration) throws -> [String] {
        var selected = all
        if !categories.isEmpty {
            let globs = try configuration.selection(categories: categories)
            selected = selected.filter { globs.matches($0) }
        }
        var named: [String] = files
        if let filesFrom {
            guard let data = FileManager.default.contents(atPath: filesFrom) else {
                throw Failure(message: "--files-from \(filesFrom): cannot read the file")
            }
            named += String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        var explicit: Set<String>? = nil
        if !named.isEmpty {
            var chosen = Set<String>()
            let inventory = Set(all)
            for path in named {
                let relative = try Self.relative(path, root: configuration.root)
                if inventory.contains(relative) {
                    chosen.insert(relative)
                    continue
                }
                let prefix = relative.isEmpty || relative == "." ? "" : relative + "/"
                let inside = all.filter { prefix.isEmpty || $0.hasPrefix(prefix) }
                guard !inside.isEmpty else {
                    throw Failure(
                        message: "\(path) matches no test file of the suite (it must be a file or folder under "
                            + "\(configuration.root) matched by include \(configuration.include.map(\.pattern)))"
                    )
                }
                chosen.formUnion(inside)
            }
            explicit = chosen
        }
        if let changedSince {
            let changed = try GitInfo.changedFiles(root: configuration.root, since: changedSince)
            let inventory = Set(all)
            var chosen = Set(changed.filter { inventory.contains($0) })
            let affected = configuration.affectedTestGlobs(changedPaths: changed)
            if !affected.isEmpty {
                chosen.formUnion(all.filter { path in affected.contains { $0.matches(path) } })
            }
            explicit = (explicit ?? []).union(chosen)
        }
        if let explicit { selected = selected.filter { explicit.contains($0) } }
        return selected
    }

    /// `path` relative to `root` (`/`-separated); an absolute path or one with `..` must stay inside.
    static func relative(_ path: String, root: String) throws -> String {
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        let url =
            path.hasPrefix("/")
            ? URL(fileURLWithPath: path).standardizedFileURL
            : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .standardizedFileURL
        // A relative path is tried against the root first, as the suite's own paths are written.
        if !path.hasPrefix("/") {
            let underRoot = URL(fileURLWithPath: path, relativeTo: rootURL).standardizedFileURL.path
            if underRoot == rootURL.path { return "" }
            if underRoot.hasPrefix(rootURL.path + "/") && FileManager.default.fileExists(atPath: underRoot) {
                return String(underRoot.dropFirst(rootURL.path.count + 1))
            }
        }
        let full = url.path
        if full == rootURL.path { return "" }
        guard full.hasPrefix(rootURL.path + "/") else {
            throw Failure(message: "\(path) is outside the suite root \(rootURL.path)")
        }
        return String(full.dropFirst(rootURL.path.count + 1))
    }
}
