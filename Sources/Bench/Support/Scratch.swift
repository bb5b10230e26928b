import Foundation

/// A fresh folder for one benchmark's files, removed at the end unless asked to keep it.
struct Scratch {
    let path: String
    let keep: Bool

    init(named name: String, under parent: String?, keep: Bool) throws {
        let base = parent ?? FileManager.default.temporaryDirectory.path
        path = base + "/testshard-bench-\(name)-\(getpid())-\(Int(Stopwatch.now() * 1000) % 1_000_000)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.keep = keep
    }

    func remove() {
        if keep {
            print("kept \(path)")
        } else {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Writes a suite root with `testshard.toml` and an empty file for each of `files`, so the
    /// coordinator's inventory finds them.
    static func writeSuite(at root: String, files: [String], command: String, extraSuiteLines: [String] = []) throws {
        let manager = FileManager.default
        var folders = Set<String>()
        for file in files {
            let folder = (root + "/" + file as NSString).deletingLastPathComponent
            if folders.insert(folder).inserted {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            guard manager.createFile(atPath: root + "/" + file, contents: Data("def test_a():\n    pass\n".utf8))
            else { throw BenchError("cannot write \(root)/\(file)") }
        }
        let config =
            ([
                "[suite]",
                "name = \"bench\"",
                "include = [\"tests/**/test_*.py\"]",
                "command = \"\(command)\"",
            ] + extraSuiteLines).joined(separator: "\n")
        try Data((config + "\n").utf8).write(to: URL(fileURLWithPath: root + "/testshard.toml"))
    }
}

/// A benchmark that cannot go on; the message says why.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
