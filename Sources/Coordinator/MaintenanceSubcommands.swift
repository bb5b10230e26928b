import ArgumentParser
import Foundation
import TestShardCoordinatorKit

struct RerunSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract:
            "Run again only the failed or flaky tests (or one shard) of an earlier run, as a new run linked to it."
    )

    @OptionGroup var suite: SuiteOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var common: RunCommonOptions

    @Option(name: .customLong("from"), help: ArgumentHelp("The earlier run.", valueName: "run-id"))
    var parent: String

    @Flag(help: "Rerun the tests that failed (and files that ended without a result).")
    var failed = false

    @Flag(help: "Rerun the tests that passed only on a retry.")
    var flaky = false

    @Option(help: ArgumentHelp("Rerun the items of this shard (e.g. s0042).", valueName: "shard-id"))
    var shard: String?

    func validate() throws {
        let chosen = [failed, flaky, shard != nil].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("choose exactly one of --failed, --flaky and --shard ID") }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "testshard-coordinator")
        var options = RunOptions(configFile: suite.config)
        options.database = suite.db
        try common.apply(to: &options)
        options.rerun = RerunSelection(
            parentRunID: parent,
            what: failed ? .failed : (flaky ? .flaky : .shard),
            shard: shard
        )
        let status = await CoordinatorRun.execute(options, logger: logger)
        throw ExitCode(status.rawValue)
    }
}

struct ImportSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Seed history from existing timing data (one transaction: a bad file imports nothing)."
    )

    @OptionGroup var suite: SuiteOptions

    @Option(help: "pytest-split (.test_durations), knapsack (knapsack_*_report.json) or junit (a file or folder).")
    var format: String

    @Argument(help: "The file (or, for junit, a folder of reports).")
    var path: String

    func validate() throws {
        guard ImportCommand.Format(rawValue: format) != nil else {
            throw ValidationError("--format \(format): expected pytest-split, knapsack or junit")
        }
    }

    func run() throws {
        do {
            print(
                try ImportCommand.execute(
                    format: ImportCommand.Format(rawValue: format)!,
                    path: path,
                    configFile: suite.config,
                    database: suite.db
                )
            )
        } catch {
            throw failUsage(error)
        }
    }
}

struct ExportSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write history as pytest-split's or knapsack's durations file."
    )

    @OptionGroup var suite: SuiteOptions

    @Option(help: "pytest-split ({\"path::test\": seconds}) or knapsack ({\"path\": seconds}).")
    var format: String

    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?

    func validate() throws {
        guard ExportCommand.Format(rawValue: format) != nil else {
            throw ValidationError("--format \(format): expected pytest-split or knapsack")
        }
    }

    func run() throws {
        do {
            let text = try ExportCommand.render(
                format: ExportCommand.Format(rawValue: format)!,
                configFile: suite.config,
                database: suite.db
            )
            if let output {
                try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: output))
            } else {
                print(text)
            }
        } catch {
            throw failUsage(error)
        }
    }
}

struct HistorySubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List recent runs, or show one item's recorded durations."
    )

    @OptionGroup var suite: SuiteOptions

    @Option(help: "How many runs.")
    var limit: Int = 20

    @Option(help: ArgumentHelp("Show this file's (or test's) samples and estimate window.", valueName: "item"))
    var item: String?

    func run() throws {
        do {
            print(try HistoryCommand.render(configFile: suite.config, database: suite.db, limit: limit, item: item))
        } catch {
            throw failUsage(error)
        }
    }
}

struct ReportSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a stored run's report again (byte-identical report.json, report.md, report.html)."
    )

    @OptionGroup var suite: SuiteOptions

    @Argument(help: "The run id.")
    var runID: String

    @Option(help: ArgumentHelp("Where to write (default: <root>/.testshard/runs/<run-id>/).", valueName: "dir"))
    var reportDir: String?

    func run() throws {
        do {
            print(
                try ReportCommand.execute(
                    runID: runID,
                    configFile: suite.config,
                    database: suite.db,
                    directory: reportDir
                )
            )
        } catch {
            throw failUsage(error)
        }
    }
}
