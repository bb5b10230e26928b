import Foundation
import Synchronization
import TestShardConfig
import TestShardStore

/// Before any shard goes out, finds pytest files that cannot even be collected — a syntax error, or
/// a module-level import of a module that exists nowhere — by compiling each file in one local
/// python3 process. Those files are reported as collection errors with the message and are never
/// sent to a worker (a worker would spend a process start to learn the same).
///
/// Conservative on imports: an import inside `try`, a relative import, or any import in a suite
/// whose conftest/ini changes `sys.path`/`pythonpath` is never flagged, because pytest may make it
/// importable in ways a static check cannot see.
enum Preflight {
    struct Finding: Sendable, Hashable {
        var file: String
        /// `SyntaxError: invalid syntax (test_bad.py, line 3)` or `ModuleNotFoundError: No module named 'x'`.
        var message: String
    }

    /// What one check found, and which files it really checked.
    struct Outcome: Sendable, Hashable {
        /// In the order of the files given.
        var findings: [Finding]
        /// The files a checker process went through to its end; a missing python3 or a crashed
        /// checker leaves its files out.
        var checked: [String]
    }

    /// The findings for `files`, compiling only those that changed since they last passed: the
    /// history remembers each clean file's size and modification time (`preflight_clean`), and a
    /// nightly run of an unchanged suite compiles nothing (5000 small files took 1 s of the wait
    /// before the first shard, on 2 cores).
    ///
    /// A remembered file is not checked against the environment again: if a module it imports is
    /// uninstalled, the worker reports its collection error, as it would with no preflight. A store
    /// that cannot be read or written only means the files are checked again.
    static func check(
        files: [String],
        root: String,
        store: HistoryStore,
        now: Double,
        python: String = "python3",
        processes: Int? = nil
    ) -> [Finding] {
        let candidates = files.filter { $0.hasSuffix(".py") }
        let stamps = stamps(of: candidates, root: root)
        let unchanged = (try? store.preflightClean(stamps)) ?? []
        let outcome = check(
            files: candidates.filter { !unchanged.contains($0) },
            root: root,
            python: python,
            processes: processes
        )
        let failed = Set(outcome.findings.map(\.file))
        var clean: [String: FileStamp] = [:]
        for file in outcome.checked where !failed.contains(file) {
            // Stamped before the check: a file edited during it does not match next time.
            if let stamp = stamps[file] { clean[file] = stamp }
        }
        try? store.recordPreflight(clean: clean, failed: failed.sorted(), at: now)
        return outcome.findings
    }

    /// Size and modification time of each of `files` (relative to `root`) that can be read.
    static func stamps(of files: [String], root: String) -> [String: FileStamp] {
        var stamps: [String: FileStamp] = [:]
        stamps.reserveCapacity(files.count)
        for file in files {
            var info = stat()
            guard stat(root + "/" + file, &info) == 0 else { continue }
            stamps[file] = FileStamp(
                size: Int64(info.st_size),
                modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            )
        }
        return stamps
    }

    /// The findings for `files` (relative to `root`), in the order of `files`, and the files that
    /// were checked. A missing python3 or a crash of the checker finds nothing for its files (the
    /// run goes on and workers report what they see).
    ///
    /// The files are checked by `processes` python3 processes at once (default: one per core, at
    /// most one per 1000 files): the check holds up the first shard, and 5000 small files took one
    /// process 1.1 s.
    static func check(files: [String], root: String, python: String = "python3", processes: Int? = nil) -> Outcome {
        let candidates = files.filter { $0.hasSuffix(".py") }
        guard !candidates.isEmpty else { return Outcome(findings: [], checked: []) }
        let perCore = min(ProcessInfo.processInfo.activeProcessorCount, candidates.count / 1000)
        let count = max(1, min(processes ?? perCore, candidates.count))
        let size = (candidates.count + count - 1) / count
        let chunks = stride(from: 0, to: candidates.count, by: size).map {
            Array(candidates[$0..<min($0 + size, candidates.count)])
        }
        let results = Mutex([[Finding]?](repeating: nil, count: chunks.count))
        DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
            let findings = checkChunk(chunks[index], root: root, python: python)
            results.withLock { $0[index] = findings }
        }
        let found = results.withLock { $0 }
        return Outcome(
            findings: found.flatMap { $0 ?? [] },
            checked: chunks.indices.flatMap { found[$0] == nil ? [] : chunks[$0] }
        )
    }

    /// One checker process over `files`; `nil` when it could not run to its end.
    private static func checkChunk(_ files: [String], root: String, python: String) -> [Finding]? {
        let list = FileManager.default.temporaryDirectory.appendingPathComponent(
            "testshard-preflight-\(UUID().uuidString).txt"
        )
        defer { try? FileManager.default.removeItem(at: list) }
        do {
            try Data(files.joined(separator: "\n").utf8).write(to: list)
        } catch {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script, root, list.path]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
                let file = object["file"], let message = object["message"]
            else { return nil }
            return Finding(file: file, message: message)
        }
    }

    /// Reads the root and a file listing paths; prints one JSON object per file that cannot be
    /// collected. Never imports a test file (no test code runs on the coordinator).
    static let script = #"""
        import ast, functools, importlib.util, json, os, sys

        root, listing = sys.argv[1], sys.argv[2]
        files = [l for l in open(listing, encoding="utf-8").read().split("\n") if l]

        def touches_path(path):
            try:
                text = open(path, encoding="utf-8", errors="replace").read()
            except OSError:
                return False
            return "sys.path" in text or "pythonpath" in text or "PYTHONPATH" in text

        ini_files = ["pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"]
        path_hacks = any(touches_path(os.path.join(root, f)) for f in ini_files)

        @functools.lru_cache(maxsize=None)
        def conftest_hacks_in(d):
            c = os.path.join(d, "conftest.py")
            if os.path.exists(c) and touches_path(c):
                return True
            if os.path.abspath(d) == os.path.abspath(root) or len(d) <= len(root):
                return False
            return conftest_hacks_in(os.path.dirname(d))

        def conftest_hacks(rel):
            return conftest_hacks_in(os.path.dirname(os.path.join(root, rel)))

        @functools.lru_cache(maxsize=None)
        def search_path(d):
            # pytest's default "prepend" import mode puts the first folder above the test without an
            # __init__.py on sys.path; conftest folders and the rootdir go there too.
            paths = [root]
            while len(d) >= len(root):
                paths.append(d)
                if os.path.abspath(d) == os.path.abspath(root):
                    break
                d = os.path.dirname(d)
            return tuple(paths + sys.path)

        @functools.lru_cache(maxsize=None)
        def installed(top):
            if top in sys.builtin_module_names:
                return True
            try:
                return importlib.util.find_spec(top) is not None
            except (ImportError, ValueError):
                return False

        @functools.lru_cache(maxsize=None)
        def findable(top, paths):
            if installed(top):
                return True
            for p in paths:
                base = os.path.join(p, top)
                if os.path.isdir(base) or os.path.exists(base + ".py") or any(
                    f.startswith(top + ".") for f in (os.listdir(p) if os.path.isdir(p) else [])
                ):
                    return True
            return False

        for rel in files:
            path = os.path.join(root, rel)
            try:
                source = open(path, "rb").read()
            except OSError:
                continue
            try:
                tree = ast.parse(source, filename=rel)
                compile(tree, rel, "exec")
            except SyntaxError as e:
                where = f" ({os.path.basename(rel)}, line {e.lineno})" if e.lineno else ""
                print(json.dumps({"file": rel, "message": f"{type(e).__name__}: {e.msg}{where}"}))
                continue
            except ValueError as e:
                print(json.dumps({"file": rel, "message": f"ValueError: {e}"}))
                continue
            if path_hacks or conftest_hacks(rel):
                continue
            paths = search_path(os.path.dirname(path))
            for node in tree.body:
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    top = name.split(".")[0]
                    if not findable(top, paths):
                        print(json.dumps({"file": rel, "message": f"ModuleNotFoundError: No module named '{top}'"}))
                        break
                else:
                    continue
                break
        """#
}
