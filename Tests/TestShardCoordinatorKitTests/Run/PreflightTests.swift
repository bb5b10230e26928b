import Foundation
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
        let findings = Preflight.check(files: files, root: root)
        #expect(findings.map(\.file) == ["tests/test_syntax.py", "tests/test_missing.py"])
        #expect(findings.first?.message.hasPrefix("SyntaxError:") == true)
        #expect(findings.last?.message == "ModuleNotFoundError: No module named 'no_such_module_anywhere'")
    }

    /// Split over several checker processes, the findings are the same and in the files' order.
    @Test func severalProcessesFindTheSameInTheSameOrder() throws {
        let (root, files) = try suite(okFiles: 60)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let one = Preflight.check(files: files, root: root, processes: 1)
        #expect(one.map(\.file) == ["tests/test_syntax.py", "tests/test_missing.py"])
        for processes in [2, 3, 7] {
            #expect(Preflight.check(files: files, root: root, processes: processes) == one)
        }
    }

    @Test func aMissingInterpreterFindsNothing() throws {
        let (root, files) = try suite(okFiles: 2)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(Preflight.check(files: files, root: root, python: "no-such-python-here").isEmpty)
    }
}
