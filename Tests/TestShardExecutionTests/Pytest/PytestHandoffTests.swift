import TestShardModel
import Testing

@testable import TestShardExecution

@Suite("How a shard is handed to pytest")
struct PytestHandoffTests {
    static let filesCommand = try! CommandTemplate("python3 -m pytest -q --junitxml={junit} {files}")
    static let many = (1...12).map { WorkItem("tests/unit/area\($0 % 3)/test_\($0).py") }

    @Test func aLargePytestShardIsItsCommonFolderPlusTheItemsFile() {
        let handoff = PytestHandoff.choose(
            items: Self.many,
            command: Self.filesCommand,
            runner: .pytest,
            environment: [:]
        )
        #expect(handoff == .folder("tests/unit"))
        #expect(
            handoff.arguments(items: Self.many, itemsFile: "/scratch/items.txt")
                == ["--testshard-items=/scratch/items.txt", "tests/unit"]
        )
    }

    @Test func smallShardsOtherRunnersAndItemsFileCommandsKeepOneArgumentPerItem() throws {
        let few = Array(Self.many.prefix(PytestHandoff.minimumItems - 1))
        #expect(
            PytestHandoff.choose(items: few, command: Self.filesCommand, runner: .pytest, environment: [:])
                == .arguments
        )
        #expect(
            PytestHandoff.choose(items: Self.many, command: Self.filesCommand, runner: .junit, environment: [:])
                == .arguments
        )
        let listing = try CommandTemplate("python3 -m pytest --testshard-items={items_file} tests")
        #expect(
            PytestHandoff.choose(items: Self.many, command: listing, runner: .pytest, environment: [:]) == .arguments
        )
        #expect(
            PytestHandoff.arguments.arguments(items: few, itemsFile: "/x") == few.map(\.id)
        )
    }

    @Test func theWorkersEnvironmentCanTurnItOff() {
        for (value, expected) in [
            ("1", PytestHandoff.arguments), ("0", .folder("tests/unit")), ("", .folder("tests/unit")),
        ] {
            let handoff = PytestHandoff.choose(
                items: Self.many,
                command: Self.filesCommand,
                runner: .pytest,
                environment: [PytestHandoff.argvVariable: value]
            )
            #expect(handoff == expected, "TESTSHARD_PYTEST_ARGV=\(value)")
        }
    }

    @Test(arguments: [
        (["tests/a/test_1.py", "tests/a/test_2.py::test_x"], "tests/a"),
        (["tests/a/b/test_1.py", "tests/a/c/test_2.py"], "tests/a"),
        (["tests/a/test_1.py", "other/test_2.py"], "."),
        (["test_top.py", "tests/test_2.py"], "."),
        (["tests/ab/test_1.py", "tests/a/test_2.py"], "tests"),
    ])
    func commonFolderIsTheDeepestFolderHoldingEveryFile(files: [String], folder: String) {
        #expect(PytestHandoff.commonFolder(of: files) == folder)
    }
}
