import TestShardModel

/// One process a shard runs: the items it covers and the words `{files}` becomes.
struct RunnerInvocation: Sendable, Hashable {
    /// The shard's items this process runs.
    var items: [WorkItem]
    /// What `{files}` expands to: the items themselves, or the runner's selection options.
    var selection: [String]
    /// The single file this process runs, for runners that run one file a process (node).
    var file: String?
}

/// How a shard's items become processes (pure).
///
/// - `pytest`, `junit`: one process; `{files}` is the items.
/// - `node`: one process per file, in the shard's order; `{files}` is `--test-name-pattern=…` for
///   each test item of the file (none when the whole file is an item) and then the file.
/// - `swift`: one process; `{files}` is `--filter REGEX` for each item. An item whose file declares
///   no tests selects nothing and is reported without tests rather than run: `swift test` with no
///   `--filter` would run the whole package.
enum RunnerInvocationPlanner {
    struct Plan: Sendable, Hashable {
        var invocations: [RunnerInvocation]
        /// Items nothing was run for, because their file declares no tests.
        var withoutTests: [WorkItem]
    }

    /// - Parameter declarations: for `swift`, what each file of the items declares.
    static func plan(
        _ runner: ShardRunnerKind,
        items: [WorkItem],
        declarations: [String: SwiftTestDeclarations] = [:]
    ) -> Plan {
        switch runner {
        case .pytest, .junit:
            return Plan(invocations: [RunnerInvocation(items: items, selection: items.map(\.id))], withoutTests: [])
        case .node:
            var order: [String] = []
            var byFile: [String: [WorkItem]] = [:]
            for item in items {
                if byFile[item.file] == nil { order.append(item.file) }
                byFile[item.file, default: []].append(item)
            }
            let invocations = order.map { file in
                let fileItems = byFile[file] ?? []
                var patterns: [String] = []
                if !fileItems.contains(where: \.isWholeFile) {
                    for pattern in fileItems.compactMap(NodeTestNaming.patternArgument)
                    where !patterns.contains(pattern) {
                        patterns.append(pattern)
                    }
                }
                return RunnerInvocation(items: fileItems, selection: patterns + [file], file: file)
            }
            return Plan(invocations: invocations, withoutTests: [])
        case .swift:
            let wholeFiles = Set(items.filter(\.isWholeFile).map(\.id))
            var selection: [String] = []
            var selected: [WorkItem] = []
            var withoutTests: [WorkItem] = []
            for item in items {
                // A test of a file that runs whole anyway needs no filter of its own.
                if !item.isWholeFile && wholeFiles.contains(item.file) {
                    selected.append(item)
                    continue
                }
                let filters = SwiftTestNaming.filters(
                    for: item,
                    declarations: declarations[item.file] ?? SwiftTestDeclarations()
                )
                if filters.isEmpty {
                    withoutTests.append(item)
                    continue
                }
                selected.append(item)
                for filter in filters { selection += ["--filter", filter] }
            }
            let invocations = selection.isEmpty ? [] : [RunnerInvocation(items: selected, selection: selection)]
            return Plan(invocations: invocations, withoutTests: withoutTests)
        }
    }
}
