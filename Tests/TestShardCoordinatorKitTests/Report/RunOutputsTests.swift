import Foundation
import Logging
import Testing

@testable import TestShardCoordinatorKit

/// Issue 9: in GitHub Actions the gardener report shows on the run's summary page.
@Suite struct StepSummaryTests {
    private let logger = Logger(label: "test")

    /// A scratch folder holding a `report.md`, removed by the caller.
    private func scratch(markdown: String) throws -> String {
        let folder = try makeScratchFolder("summary")
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: folder + "/report.md"))
        return folder
    }

    @Test func theReportIsAppendedAfterEarlierStepsSummaries() throws {
        let folder = try scratch(markdown: "# RED — 1 file(s) failed\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let summary = folder + "/step_summary.md"
        try Data("## build\nok\n".utf8).write(to: URL(fileURLWithPath: summary))

        let appended = RunOutputs.appendStepSummary(
            folder + "/report.md",
            environment: ["GITHUB_STEP_SUMMARY": summary],
            logger: logger
        )
        #expect(appended)
        #expect(try String(contentsOfFile: summary, encoding: .utf8) == "## build\nok\n# RED — 1 file(s) failed\n\n")
    }

    @Test func aMissingSummaryFileIsCreated() throws {
        let folder = try scratch(markdown: "# GREEN\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let summary = folder + "/step_summary.md"
        #expect(
            RunOutputs.appendStepSummary(
                folder + "/report.md",
                environment: ["GITHUB_STEP_SUMMARY": summary],
                logger: logger
            )
        )
        #expect(try String(contentsOfFile: summary, encoding: .utf8) == "# GREEN\n\n")
    }

    @Test func outsideGitHubActionsNothingIsWritten() throws {
        let folder = try scratch(markdown: "# GREEN\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(!RunOutputs.appendStepSummary(folder + "/report.md", environment: [:], logger: logger))
        #expect(
            !RunOutputs.appendStepSummary(
                folder + "/report.md",
                environment: ["GITHUB_STEP_SUMMARY": ""],
                logger: logger
            )
        )
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.md"])
    }

    @Test func anUnwritableSummaryIsAWarningNotAFailure() throws {
        let folder = try scratch(markdown: "# GREEN\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A folder where the file should be: cannot be opened for writing.
        #expect(
            !RunOutputs.appendStepSummary(
                folder + "/report.md",
                environment: ["GITHUB_STEP_SUMMARY": folder],
                logger: logger
            )
        )
    }
}
