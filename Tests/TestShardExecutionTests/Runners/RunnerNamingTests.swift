import TestShardModel
import Testing

@testable import TestShardExecution

@Suite("Runner naming: node and swift test ids, patterns and filters")
struct RunnerNamingTests {
    private func result(_ id: String, classname: String, name: String, _ status: TestStatus = .passed) -> TestCaseResult
    {
        TestCaseResult(id: id, file: "", classname: classname, name: name, status: status, duration: 0.5)
    }

    // MARK: - node

    @Test func nodeTestItemsSelectTheirOwnNameEscaped() {
        #expect(NodeTestNaming.patternArgument(for: "test/a.test.mjs") == nil)
        #expect(
            NodeTestNaming.patternArgument(for: "test/a.test.mjs::group::with (parens) [1] $5.00?")
                == #"--test-name-pattern=^with \(parens\) \[1\] \$5\.00\?$"#
        )
    }

    @Test func nodeResultsAreNamedFromTheFileTheyRanIn() {
        let named = NodeTestNaming.attribute(
            [
                result("test::adds", classname: "test", name: "adds"),
                result("test::group::deeper::deep ok", classname: "test", name: "deep ok"),
                result(
                    "test::/srv/suite/test/a.test.mjs",
                    classname: "test",
                    name: "/srv/suite/test/a.test.mjs",
                    .failed
                ),
            ],
            file: "test/a.test.mjs",
            absoluteFile: "/srv/suite/test/a.test.mjs"
        )
        #expect(
            named.map(\.id) == ["test/a.test.mjs::adds", "test/a.test.mjs::group::deeper::deep ok", "test/a.test.mjs"]
        )
        #expect(named.allSatisfy { $0.file == "test/a.test.mjs" })
    }

    @Test func nodeKeepsOnlyWhatTheShardAskedFor() {
        let results = [
            TestCaseResult(id: "a.mjs::x", file: "a.mjs", classname: "test", name: "x", status: .passed, duration: 0),
            TestCaseResult(id: "a.mjs::y", file: "a.mjs", classname: "test", name: "y", status: .skipped, duration: 0),
            TestCaseResult(
                id: "a.mjs::g::x",
                file: "a.mjs",
                classname: "test",
                name: "x",
                status: .failed,
                duration: 0
            ),
            TestCaseResult(
                id: "a.mjs",
                file: "a.mjs",
                classname: "test",
                name: "/r/a.mjs",
                status: .failed,
                duration: 0
            ),
        ]
        #expect(NodeTestNaming.keep(results, items: ["a.mjs::x"]).map(\.id) == ["a.mjs::x", "a.mjs"])
        #expect(NodeTestNaming.keep(results, items: ["a.mjs", "a.mjs::x"]).count == 4)
    }

    // MARK: - swift

    @Test func swiftModuleIsTheTestTargetFolder() {
        #expect(SwiftTestNaming.module(ofFile: "Tests/LibTests/MathTests.swift") == "LibTests")
        #expect(SwiftTestNaming.module(ofFile: "Tests/LibTests/Sub/MathTests.swift") == "LibTests")
        #expect(SwiftTestNaming.module(ofFile: "Tests/my-lib tests/A.swift") == "my_lib_tests")
        #expect(SwiftTestNaming.module(ofFile: "Sources/Lib/A.swift") == nil)
        #expect(SwiftTestNaming.module(ofFile: "Tests/A.swift") == nil)
    }

    @Test func swiftWholeFileFiltersByLocationAndXCTestClass() {
        let declarations = SwiftTestDeclarations(
            testFunctions: ["MathSuite.adds"],
            xctestClasses: ["MathXCTests"],
            importsTesting: true
        )
        #expect(
            SwiftTestNaming.filters(for: "Tests/LibTests/MathTests.swift", declarations: declarations) == [
                #"^LibTests\..*/MathTests\.swift:[0-9]+:[0-9]+$"#, #"^LibTests\.MathXCTests/"#,
            ]
        )
        #expect(SwiftTestNaming.filters(for: "Tests/LibTests/Helpers.swift", declarations: .init()).isEmpty)
    }

    @Test func swiftTestItemsFilterTheirIdentifierExactly() {
        let filters = SwiftTestNaming.filters(
            for: "Tests/LibTests/MathTests.swift::MathSuite::Inner::param(x:)",
            declarations: .init()
        )
        #expect(filters == [#"^LibTests\.MathSuite/Inner/param\(x:\)(/[^/]+:[0-9]+:[0-9]+)?$"#])
        #expect(
            SwiftTestNaming.filters(for: "Tests/LibTests/X.swift::freeFunction()", declarations: .init())
                == [#"^LibTests\.freeFunction\(\)(/[^/]+:[0-9]+:[0-9]+)?$"#]
        )
    }

    @Test func swiftTestingResultsGoBesideTheXUnitPath() {
        #expect(SwiftTestNaming.swiftTestingResultPath(forXUnit: "/s/junit.xml") == "/s/junit-swift-testing.xml")
        #expect(SwiftTestNaming.swiftTestingResultPath(forXUnit: "/s.d/junit") == "/s.d/junit-swift-testing")
    }

    @Test func swiftResultsMapToTheFileThatDeclaresThem() {
        let attribution = SwiftTestNaming.Attribution(declarations: [
            "Tests/LibTests/MathTests.swift": .init(
                testFunctions: ["MathSuite.adds", "MathSuite.Inner.nested", "freeFunction"],
                importsTesting: true
            ),
            "Tests/LibTests/MoreMath.swift": .init(testFunctions: ["MathSuite.more"], importsTesting: true),
            "Tests/LibTests/XCTests.swift": .init(xctestClasses: ["MathXCTests"]),
        ])
        let named = [
            result("LibTests.MathSuite::adds()", classname: "LibTests.MathSuite", name: "adds()"),
            result("LibTests.MathSuite.Inner::nested()", classname: "LibTests.MathSuite.Inner", name: "nested()"),
            result("LibTests::freeFunction()", classname: "LibTests", name: "freeFunction()"),
            result("LibTests.MathSuite::more()", classname: "LibTests.MathSuite", name: "more()"),
            result("LibTests.MathXCTests::testAdd", classname: "LibTests.MathXCTests", name: "testAdd"),
            result("LibTests.Unknown::t()", classname: "LibTests.Unknown", name: "t()"),
        ].map(attribution.attribute)
        #expect(
            named.map(\.id) == [
                "Tests/LibTests/MathTests.swift::MathSuite::adds()",
                "Tests/LibTests/MathTests.swift::MathSuite::Inner::nested()",
                "Tests/LibTests/MathTests.swift::freeFunction()",
                "Tests/LibTests/MoreMath.swift::MathSuite::more()",
                "Tests/LibTests/XCTests.swift::MathXCTests::testAdd",
                "LibTests.Unknown::t()",
            ]
        )
        #expect(named.last?.file == "")
    }

    @Test func swiftResultOfTheOnlyFileFallsBackToIt() {
        let attribution = SwiftTestNaming.Attribution(declarations: ["Tests/LibTests/A.swift": .init()])
        let named = attribution.attribute(
            result("LibTests.Made::byMacro()", classname: "LibTests.Made", name: "byMacro()")
        )
        #expect(named.id == "Tests/LibTests/A.swift::Made::byMacro()")
    }

    @Test func swiftPrebuildKeepsTheBuildOptionsOnly() throws {
        let command = try CommandTemplate(
            "swift test --skip-build --ignore-lock --parallel -c release -Xswiftc -DFOO --xunit-output {junit} {files}"
        )
        #expect(
            SwiftPrebuild.arguments(for: command) == [
                "swift", "build", "--build-tests", "-c", "release", "-Xswiftc", "-DFOO",
            ]
        )
        #expect(SwiftPrebuild.arguments(for: try CommandTemplate("swift test --xunit-output {junit} {files}")) == nil)
        #expect(
            SwiftPrebuild.arguments(for: try CommandTemplate("xcrun swift test --skip-build --scratch-path=/b {files}"))
                == ["xcrun", "swift", "build", "--build-tests", "--scratch-path=/b"]
        )
    }
}
