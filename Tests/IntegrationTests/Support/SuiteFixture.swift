import Foundation

/// A pytest suite in a fresh temporary folder: either a copy of the repository's example suite or
/// files written by the test.
struct SuiteFixture {
    let root: URL

    /// A suite from `files` (path → content) and a `testshard.toml`.
    init(config: String, files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "testshard-it-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try write("testshard.toml", config)
        try write("pytest.ini", "[pytest]\n")
        for (path, content) in files { try write(path, content) }
    }

    /// A copy of `examples/pytest-suite`.
    static func example() throws -> SuiteFixture {
        let source = Binaries.repositoryRoot.appendingPathComponent("examples/pytest-suite")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "testshard-it-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.copyItem(at: source, to: root)
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".testshard"))
        return SuiteFixture(root: root)
    }

    private init(root: URL) { self.root = root }

    func write(_ path: String, _ content: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    var config: String { root.appendingPathComponent("testshard.toml").path }
    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// A token file (mode 600) with `token`.
    func tokenFile(_ name: String = "token", token: String = "0123456789abcdef0123456789abcdef") throws -> String {
        let path = root.appendingPathComponent(".secrets/\(name)").path
        try FileManager.default.createDirectory(
            atPath: root.appendingPathComponent(".secrets").path,
            withIntermediateDirectories: true
        )
        guard
            FileManager.default.createFile(
                atPath: path,
                contents: Data(token.utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        return path
    }

    /// `report.json` of a run written with `--report-dir`.
    func reportJSON(_ directory: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/report.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A pytest file with `count` tests; each sleeps `sleep` seconds.
    static func testFile(tests count: Int, sleep: Double = 0, failing: Set<Int> = []) -> String {
        var text = "import time\n\n"
        for index in 0..<count {
            text += "\ndef test_\(index)():\n"
            if sleep > 0 { text += "    time.sleep(\(sleep))\n" }
            text += failing.contains(index) ? "    assert \(index) == -1\n" : "    assert True\n"
        }
        return text
    }

    static func config(timeout: String = "60s", retries: Int = 0, extra: String = "") -> String {
        """
        [suite]
        include = ["tests/**/test_*.py"]
        shard_timeout = "\(timeout)"
        retries = \(retries)

        [coordinator]
        lease_timeout = "6s"
        heartbeat_interval = "1s"
        \(extra)
        """
    }
}
