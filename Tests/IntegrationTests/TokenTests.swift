import Foundation
import Testing

/// Issue 6, item 6: the shared token — its file's permissions, its length, and that it is never
/// written anywhere a person or a CI system would read.
@Suite(.serialized) struct TokenTests {
    /// A token file every user can read is refused by both binaries, naming the file and the fix.
    @Test func aWorldReadableTokenFileIsRefusedByBothBinaries() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: ["tests/test_a.py": SuiteFixture.testFile(tests: 1)]
        )
        defer { suite.remove() }
        let token = try suite.tokenFile()
        chmod(token, 0o644)
        let (status, coordinator) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token,
                "--report-dir", suite.path("out"),
            ],
            in: suite.root,
            timeout: 60
        )
        #expect(status == 2, "\(coordinator.transcript)")
        #expect(
            coordinator.errors.contains("the token file \(token) is readable by every user"),
            "\(coordinator.errors)"
        )
        #expect(coordinator.errors.contains("chmod 600 \(token)"), "\(coordinator.errors)")

        let (workerStatus, worker) = try await runToEnd(
            Binaries.worker,
            ["--coordinator", "127.0.0.1:9", "--root", suite.root.path, "--token-file", token, "--once"],
            in: suite.root,
            timeout: 60
        )
        #expect(workerStatus == 2, "\(worker.transcript)")
        #expect(worker.errors.contains("the token file \(token) is readable by every user"), "\(worker.errors)")
        #expect(worker.errors.contains("chmod 600 \(token)"), "\(worker.errors)")
    }

    /// A token shorter than 16 bytes is refused by both binaries.
    @Test func aTooShortTokenIsRefusedByBothBinaries() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: ["tests/test_a.py": SuiteFixture.testFile(tests: 1)]
        )
        defer { suite.remove() }
        let token = try suite.tokenFile("short", token: "secret123\n")
        let (status, coordinator) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token,
                "--report-dir", suite.path("out"),
            ],
            in: suite.root,
            timeout: 60
        )
        #expect(status == 2, "\(coordinator.transcript)")
        #expect(
            coordinator.errors.contains("the token file \(token): the token has 9 bytes, fewer than 16"),
            "\(coordinator.errors)"
        )

        let (workerStatus, worker) = try await runToEnd(
            Binaries.worker,
            ["--coordinator", "127.0.0.1:9", "--root", suite.root.path, "--token-file", token, "--once"],
            in: suite.root,
            timeout: 60
        )
        #expect(workerStatus == 2, "\(worker.transcript)")
        #expect(
            worker.errors.contains("the token file \(token): the token has 9 bytes, fewer than 16"),
            "\(worker.errors)"
        )
    }

    /// A run at the most verbose log level — remote and local workers, a failing test, an intruder
    /// with a wrong token — writes neither token anywhere: not in the coordinator's or any worker's
    /// output, not in a report file or a worker log in the report folder, not in the history
    /// database.
    @Test func theTokenIsNeverWrittenToALogOrAReport() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_a.py": SuiteFixture.testFile(tests: 2, sleep: 0.2),
                "tests/test_b.py": SuiteFixture.testFile(tests: 2, failing: [1]),
            ]
        )
        defer { suite.remove() }
        let secret = "9e107d9d372bb6826bd81d3542a419d6c0ffee5eedfacade"
        let intruderSecret = "deadbeefcafebabe0123456789abcdeffedcba98"
        let token = try suite.tokenFile(token: secret + "\n")
        let wrong = try suite.tokenFile("wrong", token: intruderSecret)
        let reportDirectory = suite.path("out")
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token, "--local-workers",
                "1",
                "--expect-workers", "2", "--report-dir", reportDirectory, "--log-level", "trace",
            ],
            in: suite.root
        )
        let address = try #require(await coordinator.listeningAddress(), "\(coordinator.transcript)")
        let intruder = try ChildProcess(
            Binaries.worker,
            [
                "--coordinator", address, "--root", suite.root.path, "--token-file", wrong, "--name", "intruder",
                "--once",
                "--log-level", "trace",
            ],
            in: suite.root
        )
        #expect(await intruder.wait(timeout: 30) == 1, "\(intruder.transcript)")
        let remote = try ChildProcess(
            Binaries.worker,
            [
                "--coordinator", address, "--root", suite.root.path, "--token-file", token, "--name", "remote",
                "--once",
                "--log-level", "trace",
            ],
            in: suite.root
        )
        #expect(await coordinator.wait(timeout: 120) == 1, "one test fails\n\(coordinator.transcript)")
        #expect(await remote.wait(timeout: 30) == 0, "\(remote.transcript)")
        #expect(coordinator.errors.contains("failed authentication"), "the intruder was refused")

        var places: [(String, Data)] = [
            ("coordinator stdout", Data(coordinator.output.utf8)),
            ("coordinator stderr", Data(coordinator.errors.utf8)),
            ("remote worker output", Data((remote.output + remote.errors).utf8)),
            ("intruder output", Data((intruder.output + intruder.errors).utf8)),
        ]
        let reportFiles = try FileManager.default.subpathsOfDirectory(atPath: reportDirectory)
        #expect(reportFiles.contains("report.md") && reportFiles.contains("workers/local-1.log"), "\(reportFiles)")
        for file in reportFiles {
            let path = reportDirectory + "/" + file
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                places.append(("report folder: \(file)", try Data(contentsOf: URL(fileURLWithPath: path))))
            }
        }
        for file in try FileManager.default.subpathsOfDirectory(atPath: suite.path(".testshard")) {
            let path = suite.path(".testshard/" + file)
            if let data = FileManager.default.contents(atPath: path) { places.append(("history: \(file)", data)) }
        }
        for (place, data) in places {
            for text in [secret, intruderSecret] {
                #expect(data.range(of: Data(text.utf8)) == nil, "the token \(text.prefix(8))… appears in \(place)")
            }
        }
    }

    /// Without `--token-file`, the token generated for local workers lives in a private temporary
    /// folder, not in the report folder (which CI publishes), and is gone when the run ends.
    @Test func aGeneratedTokenStaysOutOfTheReportFolderAndIsRemoved() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: ["tests/test_a.py": SuiteFixture.testFile(tests: 2)]
        )
        defer { suite.remove() }
        let reportDirectory = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--report-dir", reportDirectory],
            in: suite.root,
            timeout: 120
        )
        #expect(status == 0, "\(run.transcript)")
        let runID = try #require(
            run.output.components(separatedBy: "testshard: run ").dropFirst().first?.split(separator: ":").first,
            "\(run.output)"
        )
        let reportFiles = try FileManager.default.subpathsOfDirectory(atPath: reportDirectory)
        #expect(!reportFiles.contains { $0.hasSuffix(".token") }, "\(reportFiles)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("testshard-\(runID)").path
        #expect(!FileManager.default.fileExists(atPath: folder), "\(folder) is left behind")
    }

}
