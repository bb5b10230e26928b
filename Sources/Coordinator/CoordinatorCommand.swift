import ArgumentParser
import Foundation
import Logging
import TestShardCoordinatorKit
import TestShardModel

/// `testshard-coordinator`: plans, runs and reports a test suite across workers.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testshard-coordinator",
        abstract: "Run a test suite across workers, time-balanced from history, and write one gardener report.",
        version: TestShardVersion.current,
        subcommands: [
            RunSubcommand.self, PlanSubcommand.self, RerunSubcommand.self, ImportSubcommand.self,
            ExportSubcommand.self, HistorySubcommand.self, ReportSubcommand.self,
        ]
    )
}

/// Options every subcommand that reads the suite shares.
struct SuiteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The suite's config file.", valueName: "file"))
    var config: String = "testshard.toml"

    @Option(
        help: ArgumentHelp("The history database (default: <suite root>/.testshard/history.sqlite).", valueName: "path")
    )
    var db: String?
}

struct LoggingOptions: ParsableArguments {
    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level \(logLevel): expected trace, debug, info, notice, warning, error or critical"
            )
        }
    }

    func bootstrap(label: String) -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

@main
enum CoordinatorMain {
    /// Exit statuses: 0 passed, 1 tests failed, 2 usage or config error (argument-parser's own
    /// default would be 64), 3 not every file got a result, 4 cut short by --deadline.
    static func main() async {
        do {
            var command = try CoordinatorCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if CoordinatorCommand.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((CoordinatorCommand.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            CoordinatorCommand.exit(withError: error)
        }
    }
}

/// Prints a setup error the way every subcommand does and exits 2.
func failUsage(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("testshard-coordinator: \(error)\n".utf8))
    return ExitCode(2)
}
