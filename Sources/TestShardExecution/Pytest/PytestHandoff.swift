import TestShardModel

/// How a shard's items reach pytest's command line (DESIGN.md, "How a shard is handed to pytest").
///
/// pytest pays for every path argument on its own (measured in docs/BENCHMARKS.md, "The seed's
/// scale"), so a shard of many files is handed over as the one folder that holds them all plus
/// `--testshard-items=FILE`: the worker's pytest plugin then collects exactly the listed files and
/// node ids and enters no folder without one. The plugin treats a listed file like a named
/// argument (collected whatever `python_files`, `norecursedirs` or `collect_ignore` say), so the
/// tests that run are the same either way.
///
/// Only for the pytest runner, only when the command takes `{files}` (a command with
/// `{items_file}` already selects its own way), and only for shards of at least
/// `minimumItems` items: a small shard — an isolation rerun of one file, the tail of a run — keeps
/// the plain form, which is what the log shows and what a person would type.
/// `TESTSHARD_PYTEST_ARGV=1` in the worker's environment turns it off.
enum PytestHandoff: Hashable, Sendable {
    /// Every item as its own argument where `{files}` stands.
    case arguments
    /// `--testshard-items=<items file>` and this folder (relative to the suite root) where
    /// `{files}` stands.
    case folder(String)

    /// The smallest shard handed over as a folder plus a list.
    static let minimumItems = 8
    /// The worker environment variable that keeps one argument per item.
    static let argvVariable = "TESTSHARD_PYTEST_ARGV"

    /// The hand-off for a shard.
    static func choose(
        items: [WorkItem],
        command: CommandTemplate,
        runner: ShardRunnerKind,
        environment: [String: String]
    ) -> PytestHandoff {
        guard runner == .pytest, command.words.contains("{files}"), items.count >= minimumItems else {
            return .arguments
        }
        if let value = environment[argvVariable], !value.isEmpty, value != "0" { return .arguments }
        return .folder(commonFolder(of: items.map(\.file)))
    }

    /// What `{files}` expands to.
    func arguments(items: [WorkItem], itemsFile: String) -> [String] {
        switch self {
        case .arguments: items.map(\.id)
        case .folder(let folder): ["--testshard-items=\(itemsFile)", folder]
        }
    }

    /// What `{files}` expands to for one process of a shard: the runner's own selection, or the
    /// folder plus the items file (which lists the shard's items, all of them in this one process).
    func arguments(_ invocation: RunnerInvocation, itemsFile: String) -> [String] {
        switch self {
        case .arguments: invocation.selection
        case .folder: arguments(items: invocation.items, itemsFile: itemsFile)
        }
    }

    /// The deepest folder holding every file (`.` when that is the suite root). Items are plain
    /// relative paths (the `ItemValidator` checked them), so this is string work.
    static func commonFolder(of files: [String]) -> String {
        var common: [Substring]? = nil
        for file in files {
            let folders = file.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            guard let current = common else {
                common = Array(folders)
                continue
            }
            var length = 0
            while length < min(current.count, folders.count),
                current[length] == folders[folders.startIndex + length]
            {
                length += 1
            }
            common = Array(current.prefix(length))
            if length == 0 { break }
        }
        guard let common, !common.isEmpty else { return "." }
        return common.joined(separator: "/")
    }
}
