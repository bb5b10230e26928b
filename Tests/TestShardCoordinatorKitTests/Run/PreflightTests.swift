import Foundation
import TestShardStore
import Testing

@testable import TestShardCoordinatorKit

/// The coordinator's check for files that cannot even be collected (real python3).
@Suite struct PreflightTests {
    /// A suite with files that compile, one with a syntax error, one importing a module that exists
    /// nowhere, one importing a sibling module, and one under a conftest that changes `sys.path`.
    private func suite(okFiles: Int) throws -> (root: String, files: [String]) {
        let root = try makeScratchFolder("preflight")
        func write(_ path: String, _ text: String) throws {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(text.utf8).write(to: url)
        }
        var files: [String] = []
        for number in 0..<okFiles {
            let path = "tests/area\(number % 7)/test_ok_\(number).py"
            try write(path, "import os\n\ndef test_ok():\n    assert os.sep\n")
            files.append(path)
            if number == okFiles / 3 {
                try write("tests/test_syntax.py", "def test_bad(:\n    pass\n")
                files.append("tests/test_syntax.py")
            }
            if number == 2 * okFiles / 3 {
                try write("tests/test_missing.py", "import no_such_module_anywhere\n\ndef test_x():\n    pass\n")
                files.append("tests/test_missing.py")
            }
        }
        try write("tests/helpers_here.py", "VALUE = 1\n")
        try write("tests/test_sibling.py", "import helpers_here\n\ndef test_x():\n    pass\n")
        try write("hacked/conftest.py", "import sys\nsys.path.insert(0, 'somewhere')\n")
        try write("hacked/test_hacked.py", "import only_on_the_hacked_path\n\ndef test_x():\n    pass\n")
        files += ["tests/test_sibling.py", "hacked/test_hacked.py", "README.md"]
        return (root, files)
    }

    @Test func syntaxErrorsAndMissingModulesAreFoundAndNothingElse() throws {
        let (root, files) = try suite(okFiles: 5)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let findings = Preflight.check(files: files, root: root).findings
        #expect(findings.map(\.file) == ["tests/test_syntax.py", "tests/test_missing.py"])
        #expect(findings.first?.message.hasPrefix("SyntaxError:") == true)
        #expect(findings.last?.message == "ModuleNotFoundError: No module named 'no_such_module_anywhere'")
    }

    /// Split over several checker processes, the findings are the same and in the files' order.
    @Test func severalProcessesFindTheSameInTheSameOrder() throws {
        let (root, files) = try suite(okFiles: 60)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let one = Preflight.check(files: files, root: root, processes: 1)
        #expect(one.findings.map(\.file) == ["tests/test_syntax.py", "tests/test_missing.py"])
        for processes in [2, 3, 7] {
            #expect(Preflight.check(files: files, root: root, processes: processes) == one)
        }
    }

    @Test func aMissingInterpreterFindsNothing() throws {
        let (root, files) = try suite(okFiles: 2)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = Preflight.check(files: files, root: root, python: "no-such-python-here")
        #expect(outcome.findings.isEmpty)
        #expect(outcome.checked.isEmpty)
    }

    /// A python3 that appends the files it is asked to check to `log`, one check per line.
    private func recordingPython(in root: String) throws -> (python: String, log: String) {
        let python = root + "/recording-python"
        let log = root + "/checked.log"
        // The checker's arguments: -c SCRIPT ROOT LISTING.
        try Data("#!/bin/sh\ntr '\\n' ' ' < \"$4\" >> \"\(log)\"\necho >> \"\(log)\"\nexec python3 \"$@\"\n".utf8)
            .write(to: URL(fileURLWithPath: python))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python)
        return (python, log)
    }

    private func checks(_ log: String) -> [[String]] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { $0.split(separator: " ").map(String.init).sorted() }
    }

    /// The history remembers what passed: an unchanged clean file is not compiled again, a broken
    /// or edited one is, and a check that could not run remembers nothing.
    @Test func onlyFilesChangedSinceTheyPassedAreCheckedAgain() throws {
        let (root, files) = try suite(okFiles: 3)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = try HistoryStore.inMemory()
        let (python, log) = try recordingPython(in: root)
        let broken = ["tests/test_missing.py", "tests/test_syntax.py"]
        let pythonFiles = files.filter { $0.hasSuffix(".py") }.sorted()

        // No interpreter: nothing checked, nothing remembered.
        #expect(Preflight.check(files: files, root: root, store: store, now: 1, python: "no-such-python-here").isEmpty)
        let first = Preflight.check(files: files, root: root, store: store, now: 2, python: python, processes: 1)
        #expect(first.map(\.file).sorted() == broken)
        #expect(checks(log) == [pythonFiles])

        let second = Preflight.check(files: files, root: root, store: store, now: 3, python: python, processes: 1)
        #expect(second == first)
        #expect(checks(log).last == broken)

        // An edit (another size) makes a clean file a candidate again, and this one is now broken.
        let edited = "tests/area0/test_ok_0.py"
        let handle = try #require(FileHandle(forWritingAtPath: root + "/" + edited))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("def broken(:\n".utf8))
        try handle.close()
        let third = Preflight.check(files: files, root: root, store: store, now: 4, python: python, processes: 1)
        #expect(third.map(\.file).sorted() == (broken + [edited]).sorted())
        #expect(checks(log).last == (broken + [edited]).sorted())
        #expect(checks(log).count == 3)
    }
}
