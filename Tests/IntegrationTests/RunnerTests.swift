import Foundation
import TestShardJUnit
import TestShardModel
import Testing

/// Issue 9: the node and swift example suites over 2 local workers give the results a direct run of
/// each runner gives, and failed tests are retried on their own (`path::test` items).
@Suite(.serialized) struct RunnerTests {
    /// `examples/node-suite` through the coordinator and two workers, against `node --test` run
    /// directly on each file (node's JUnit names no files, so a direct run of all files at once
    /// could not say which `adds` is which).
    @Test func nodeSuiteOverTwoWorkersMatchesADirectNodeRun() async throws {
        let root = try copyExample("node-suite")
        defer { try? FileManager.default.removeItem(at: root) }
        let report = root.appendingPathComponent("out").path
        // As in GitHub Actions: the report is appended to the step summary after what is there.
        let stepSummary = root.appendingPathComponent("step-summary.md").path
        try Data("## earlier step\n".utf8).write(to: URL(fileURLWithPath: stepSummary))
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", root.appendingPathComponent("testshard.toml").path, "--local-workers", "2",
                "--report-dir", report, "--db", root.appendingPathComponent("history.sqlite").path,
            ],
            in: root,
            environment: ["GITHUB_STEP_SUMMARY": stepSummary]
        )
        #expect(status == 1, "the example has a failing test\n\(run.transcript)")
        let markdown = try String(contentsOfFile: report + "/report.md", encoding: .utf8)
        #expect(try String(contentsOfFile: stepSummary, encoding: .utf8) == "## earlier step\n" + markdown + "\n")

        let files = try testFiles(in: root, under: "test", suffix: ".test.mjs")
        #expect(files.count == 4)
        var expected: [String: TestStatus] = [:]
        for (index, file) in files.enumerated() {
            let output = "direct-\(index).xml"
            let (directStatus, direct) = try await runToEnd(
                "/usr/bin/env",
                ["node", "--test", "--test-reporter=junit", "--test-reporter-destination=\(output)", file],
                in: root
            )
            #expect(directStatus == 0 || directStatus == 1, "\(direct.transcript)")
            let read = JUnitReader(defaultFile: file, dialect: .node).read(
                contentsOf: root.appendingPathComponent(output).path
            )
            #expect(read.state == .ok, "\(read.reason ?? "")")
            // node writes classname="test" on every test case: `file::test::describe::name`.
            for test in read.tests {
                let id = test.id.replacingOccurrences(of: file + "::test::", with: file + "::")
                expected[id] = test.status
            }
        }
        let merged = JUnitReader(candidateFiles: files).read(contentsOf: report + "/junit.xml")
        #expect(merged.state == .ok)
        let outcomes = Dictionary(merged.tests.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
        #expect(merged.tests.count == outcomes.count, "a test appears twice in the merged junit.xml")
        #expect(outcomes.count == 13)
        #expect(outcomes == expected)
        #expect(
            outcomes["test/cart.test.mjs::adds"] == .passed && outcomes["test/util/format.test.mjs::adds"] == .passed
        )
        #expect(outcomes["test/pricing.test.mjs::discounts::rounds half up"] == .failed)
        // The failing test was retried on its own (`--test-name-pattern`) and failed again.
        let xml = try String(contentsOfFile: report + "/junit.xml", encoding: .utf8)
        #expect(
            xml.components(separatedBy: "<rerunFailure").count - 1 == 1,
            "\(xml)\n\((try? String(contentsOfFile: report + "/report.md", encoding: .utf8)) ?? "")\n\(run.transcript)"
        )
    }

    /// `examples/swift-suite` (swift-testing and XCTest) through the coordinator and two workers,
    /// against `swift test --parallel --xunit-output` run directly. Built in place (`.build` is
    /// ignored by git), so only the first run on a machine pays for the build.
    @Test(.enabled(if: Self.onPath("swift"), "swift is not on PATH: the swift runner's example cannot run"))
    func swiftSuiteOverTwoWorkersMatchesADirectSwiftTestRun() async throws {
        let root = Binaries.repositoryRoot.appendingPathComponent("examples/swift-suite")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "testshard-swift-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("out").path
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", root.appendingPathComponent("testshard.toml").path, "--local-workers", "2",
                "--report-dir", report, "--db", scratch.appendingPathComponent("history.sqlite").path,
            ],
            in: scratch,
            timeout: 900
        )
        #expect(status == 1, "the example has failing tests\n\(run.transcript)")

        let direct = scratch.appendingPathComponent("direct.xml").path
        let (directStatus, directRun) = try await runToEnd(
            "/usr/bin/env",
            // From the scratch folder (where the helper keeps its logs), not the example's.
            ["swift", "test", "--package-path", root.path, "--parallel", "--xunit-output", direct],
            in: scratch,
            timeout: 900
        )
        #expect(directStatus == 1, "\(directRun.transcript)")

        let files = try testFiles(in: root, under: "Tests", suffix: ".swift")
        let sources = try files.map { ($0, try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)) }
        var expected: [String: TestStatus] = [:]
        for path in [direct, scratch.appendingPathComponent("direct-swift-testing.xml").path] {
            let read = JUnitReader(dialect: .generic).read(contentsOf: path)
            #expect(read.state == .ok, "\(path): \(read.reason ?? "")")
            for test in read.tests {
                // The file is the one whose text declares the function: the example's names are unique.
                let base = test.name.split(separator: "(").first.map(String.init) ?? test.name
                let owners = sources.filter { $0.1.contains("func \(base)(") }.map(\.0)
                #expect(owners.count == 1, "\(test.name): \(owners)")
                let typePath = test.classname.split(separator: ".").dropFirst().map(String.init)
                expected[([owners.first ?? "?"] + typePath + [test.name]).joined(separator: "::")] = test.status
            }
        }
        let merged = JUnitReader(candidateFiles: files).read(contentsOf: report + "/junit.xml")
        #expect(merged.state == .ok)
        let outcomes = Dictionary(merged.tests.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
        #expect(merged.tests.count == outcomes.count, "a test appears twice in the merged junit.xml")
        #expect(outcomes.count == 10)
        #expect(outcomes == expected)
        #expect(outcomes["Tests/ShopTests/CartTests+Discounts.swift::CartSuite::roundsHalfUp()"] == .failed)
        #expect(outcomes["Tests/ShopTests/PriceXCTests.swift::PriceXCTests::testDiscountOfAThird"] == .failed)
        // Both failing tests were retried on their own (`--filter` on one identifier) and failed again.
        let xml = try String(contentsOfFile: report + "/junit.xml", encoding: .utf8)
        #expect(
            xml.components(separatedBy: "<rerunFailure").count - 1 == 2,
            "\(xml)\n\((try? String(contentsOfFile: report + "/report.md", encoding: .utf8)) ?? "")\n\(run.transcript)"
        )
        // The helpers-only file ran nothing and still has a final state.
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: report + "/report.json"))
        )
        let reported = ((json as? [String: Any])?["files"] as? [[String: Any]] ?? []).compactMap {
            $0["path"] as? String
        }
        #expect(reported.contains("Tests/ShopTests/Fixtures.swift"), "\(reported)")
    }

    // MARK: - Helpers

    static func onPath(_ program: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }

    /// A copy of `examples/<name>` in a fresh temporary folder.
    private func copyExample(_ name: String) throws -> URL {
        let source = Binaries.repositoryRoot.appendingPathComponent("examples/\(name)")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "testshard-\(name)-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.copyItem(at: source, to: root)
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".testshard"))
        return root
    }

    /// Files below `folder` ending in `suffix`, relative to `root`, sorted.
    private func testFiles(in root: URL, under folder: String, suffix: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(suffix) }.map { folder + "/" + $0 }.sorted()
    }
}
