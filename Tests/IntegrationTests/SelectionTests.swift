import Foundation
import Testing

/// Issue 10: categories, profiles, explicit selection, pre-flight, deadline.
@Suite(.serialized) struct SelectionTests {
    /// `--category unit` runs exactly the unit files, and a profile's options reach the command.
    @Test func categoryAndProfileReachTheWorkers() async throws {
        let suite = try SuiteFixture.example()
        defer { suite.remove() }
        let out = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--local-workers", "2", "--category", "unit", "--profile", "no-docker",
                "--report-dir", out,
            ],
            in: suite.root
        )
        #expect(status == 1, "the unit category has one product bug\n\(run.transcript)")
        let report = try suite.reportJSON(out)
        let files = (report["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        let unit = try FileManager.default.contentsOfDirectory(atPath: suite.path("tests/unit"))
            .filter { $0.hasPrefix("test_") && $0.hasSuffix(".py") }.map { "tests/unit/" + $0 }.sorted()
        #expect(files.sorted() == unit)
        let commands = (report["shards"] as? [[String: Any]] ?? []).compactMap { $0["command"] as? String }
        #expect(!commands.isEmpty)
        for command in commands {
            #expect(command.contains("-m 'not docker'"), "profile options in the recorded command: \(command)")
            let items = command.split(separator: " ").filter { $0.hasPrefix("tests/") }
            #expect(items.allSatisfy { $0.hasPrefix("tests/unit/") })
        }
        let categories = report["categories"] as? [[String: Any]] ?? []
        #expect(categories.contains { $0["id"] as? String == "unit" })
    }

    /// `--changed-since REV` picks the test files changed in a commit.
    @Test func changedSincePicksTheChangedFiles() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_a.py": SuiteFixture.testFile(tests: 1),
                "tests/test_b.py": SuiteFixture.testFile(tests: 1),
                "tests/test_c.py": SuiteFixture.testFile(tests: 1),
            ]
        )
        defer { suite.remove() }
        func git(_ arguments: String...) async throws {
            let (status, process) = try await runToEnd(
                "/usr/bin/git",
                ["-c", "user.email=t@example.com", "-c", "user.name=t"] + arguments,
                in: suite.root
            )
            #expect(status == 0, "\(process.transcript)")
        }
        try await git("init", "-q")
        try await git("add", "-A")
        try await git("commit", "-qm", "first")
        try suite.write("tests/test_b.py", SuiteFixture.testFile(tests: 2))
        try await git("commit", "-qam", "change b")
        let out = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--local-workers", "1", "--changed-since", "HEAD~1", "--report-dir",
                out,
            ],
            in: suite.root
        )
        #expect(status == 0, "\(run.transcript)")
        let files = ((try suite.reportJSON(out))["files"] as? [[String: Any]] ?? []).compactMap {
            $0["path"] as? String
        }
        #expect(files == ["tests/test_b.py"])

        let (missing, missingRun) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--files", "tests/test_nope.py"],
            in: suite.root
        )
        #expect(missing == 2)
        #expect(missingRun.errors.contains("tests/test_nope.py matches no test file"))
    }

    /// A file with a syntax error is reported as a collection error without a worker running it.
    @Test func syntaxErrorIsFoundBeforeAnyShard() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_ok.py": SuiteFixture.testFile(tests: 2),
                "tests/test_broken.py": "def test_x(:\n    pass\n",
            ]
        )
        defer { suite.remove() }
        let out = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--report-dir", out, "--log-level", "info"],
            in: suite.root
        )
        #expect(status != 0, "\(run.transcript)")
        let report = try suite.reportJSON(out)
        let handedOut = (report["shards"] as? [[String: Any]] ?? []).flatMap { $0["items"] as? [String] ?? [] }
        #expect(!handedOut.contains("tests/test_broken.py"), "never sent to a worker")
        #expect(handedOut.contains("tests/test_ok.py"))
        let broken = (report["files"] as? [[String: Any]] ?? []).first {
            $0["path"] as? String == "tests/test_broken.py"
        }
        #expect(broken?["notRunReason"] as? String == "collection_error", "\(String(describing: broken))")
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(markdown.contains("SyntaxError"))
    }

    /// A suite that needs ~60 s with `--deadline 20s` ends within deadline + grace and accounts for
    /// every file.
    @Test func deadlineEndsTheRunWithAFullReport() async throws {
        var files: [String: String] = [:]
        for index in 0..<30 {
            files[String(format: "tests/test_%02d.py", index)] = SuiteFixture.testFile(tests: 1, sleep: 2)
        }
        let suite = try SuiteFixture(config: SuiteFixture.config(), files: files)
        defer { suite.remove() }
        let out = suite.path("out")
        let started = Date()
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--local-workers", "1", "--deadline", "20s", "--deadline-grace", "5s",
                "--report-dir", out,
            ],
            in: suite.root,
            timeout: 120
        )
        let elapsed = Date().timeIntervalSince(started)
        #expect(status == 4, "cut short\n\(run.transcript)")
        #expect(elapsed < 20 + 5 + 15, "ended within deadline + grace (+ start and report): \(elapsed) s")
        let report = try suite.reportJSON(out)
        let fileStates = report["files"] as? [[String: Any]] ?? []
        #expect(fileStates.count == 30, "every expected file is accounted for")
        let ran = fileStates.filter { $0["state"] as? String == "passed" }.count
        let deadline = fileStates.filter { $0["notRunReason"] as? String == "deadline" }.count
        #expect(ran > 0 && deadline > 0 && ran + deadline == 30, "ran \(ran), deadline \(deadline)")
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(markdown.lowercased().contains("deadline"))
    }
}
