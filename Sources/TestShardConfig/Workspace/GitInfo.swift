import Foundation

/// What git knows about the suite's checkout: the revision a run tested, whether the tree was dirty,
/// and which files changed since a revision (`run --changed-since`). Runs `git -C <root> …` directly
/// (no shell), with optional locks off so it never contends with someone's `git commit`.
public enum GitInfo {
    /// The commit `HEAD` points to in the checkout holding `root`, or `nil` outside a checkout, in a
    /// repository without commits, or without git.
    public static func revision(root: String) -> String? {
        guard let output = try? git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]), output.succeeded else {
            return nil
        }
        let sha = String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return sha.isEmpty ? nil : sha
    }

    /// Whether the checkout holding `root` has changes (staged, unstaged or untracked non-ignored files)
    /// under `root`; `nil` outside a checkout or without git.
    public static func isDirty(root: String) -> Bool? {
        guard (try? isCheckout(root)) == true,
            let output = try? git(root, ["status", "--porcelain", "-z", "--untracked-files=normal", "--", "."]),
            output.succeeded
        else { return nil }
        return !output.stdout.isEmpty
    }

    /// Paths (relative to `root`, `/`-separated, sorted by bytes, each once) that differ between
    /// `revision` and the working tree under `root`: modified, added, deleted (a deleted path is listed;
    /// callers that need existing files filter), both sides of a rename, plus untracked files git does
    /// not ignore.
    ///
    /// Throws `unknownRevision` naming the revision when git does not know it, `notAGitCheckout` outside a
    /// checkout, `gitUnavailable` without git, `gitFailed` with git's message otherwise.
    public static func changedFiles(root: String, since revision: String) throws(WorkspaceError) -> [String] {
        guard !revision.isEmpty, !revision.hasPrefix("-") else {
            throw WorkspaceError(
                code: .unknownRevision,
                message: "\"\(revision)\" is not a git revision; give a commit, tag or branch such as origin/main"
            )
        }
        guard try isCheckout(root) else {
            throw WorkspaceError(
                code: .notAGitCheckout,
                message: "\(root) is not inside a git checkout, so there are no changes since \"\(revision)\" to find"
            )
        }
        let verify = try git(root, ["rev-parse", "--verify", "--quiet", revision + "^{commit}"])
        guard verify.succeeded else {
            throw WorkspaceError(
                code: .unknownRevision,
                message: "git does not know the revision \"\(revision)\" in \(root); check the name, or fetch it "
                    + "(a shallow CI clone may lack it: git fetch --deepen=50 or --unshallow)"
            )
        }
        let sha = String(decoding: verify.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // --relative limits the diff to `root` and prints paths relative to it (git -C makes it the
        // current folder); --no-renames lists both sides of a rename.
        let diff = try checked(
            root,
            ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", "--relative", sha, "--"]
        )
        let untracked = try checked(root, ["ls-files", "-z", "--others", "--exclude-standard"])
        return sortedUnique(split(diff) + split(untracked))
    }

    // MARK: - Internal

    /// Files (relative to `root`) git lists as tracked or untracked-but-not-ignored, limited to the
    /// folders `prefixes` (relative to `root`; an empty prefix means everything), or `nil` when `root`
    /// is not in a checkout or git is missing.
    static func nonIgnoredFiles(root: String, prefixes: [String]) throws(WorkspaceError) -> [String]? {
        guard CommandRunner.find("git") != nil, try isCheckout(root) else { return nil }
        var arguments = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        let specs = prefixes.filter { !$0.isEmpty }
        if specs.count == prefixes.count && !specs.isEmpty {
            // :(literal) so a folder name with glob characters is taken as written.
            arguments += ["--"] + specs.map { ":(literal)" + $0 }
        }
        return split(try checked(root, arguments))
    }

    /// Whether `root` is inside a git work tree. `false` outside one or when git is missing; throws when
    /// git refuses for another reason (e.g. "detected dubious ownership"), because walking on as if there
    /// were no checkout would silently include ignored files.
    static func isCheckout(_ root: String) throws(WorkspaceError) -> Bool {
        guard CommandRunner.find("git") != nil else { return false }
        let output = try git(root, ["rev-parse", "--is-inside-work-tree"])
        if output.succeeded {
            return String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                == "true"
        }
        if output.stderr.contains("not a git repository") { return false }
        throw failure(root, ["rev-parse", "--is-inside-work-tree"], output)
    }

    private static func git(_ root: String, _ arguments: [String]) throws(WorkspaceError) -> CommandRunner.Output {
        var environment = ProcessInfo.processInfo.environment
        guard let executable = CommandRunner.find("git", environment: environment) else {
            throw WorkspaceError(code: .gitUnavailable, message: "git is not on PATH; install git or fix PATH")
        }
        // Variables a git hook or wrapper may have set would point git at another repository.
        for name in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR"] {
            environment[name] = nil
        }
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        return try CommandRunner.run(executable, ["-C", root] + arguments, environment: environment)
    }

    private static func checked(_ root: String, _ arguments: [String]) throws(WorkspaceError) -> Data {
        let output = try git(root, arguments)
        guard output.succeeded else { throw failure(root, arguments, output) }
        return output.stdout
    }

    private static func failure(
        _ root: String,
        _ arguments: [String],
        _ output: CommandRunner.Output
    )
        -> WorkspaceError
    {
        let stderr = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        return WorkspaceError(
            code: .gitFailed,
            message: "\(CommandRunner.display("git", ["-C", root] + arguments)) failed with status \(output.status)"
                + (stderr.isEmpty ? "" : ": \(stderr)")
        )
    }

    /// NUL-separated paths; names that are not valid UTF-8 cannot be named in a config or passed on
    /// as items reliably, so they are dropped.
    static func split(_ data: Data) -> [String] {
        data.split(separator: 0).compactMap { String(validating: $0, as: UTF8.self) }
    }

    static func sortedUnique(_ paths: [String]) -> [String] {
        Array(Set(paths)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
