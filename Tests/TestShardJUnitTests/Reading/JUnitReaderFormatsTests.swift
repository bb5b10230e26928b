import Foundation
import TestShardModel
import Testing

@testable import TestShardJUnit

@Suite("JUnitReader on node:test, swift test and generic JUnit")
struct JUnitReaderFormatsTests {
    private func read(_ xml: String, defaultFile: String? = nil) -> JUnitReadResult {
        JUnitReader(defaultFile: defaultFile, dialect: .generic).parse(Data(xml.utf8))
    }

    @Test func nodeTestCasesUnderTheRootAndDescribeBlocksAsSuites() {
        let result = read(Fixtures.nodeTest)
        #expect(result.state == .ok)
        #expect(
            result.tests.map(\.id) == [
                "test::adds", "test::fails", "test::skipped", "test::todo", "test::group::inner ok",
                "test::group::inner throws", "test::b one",
            ]
        )
        #expect(result.tests.map(\.status) == [.passed, .failed, .skipped, .skipped, .passed, .failed, .passed])
    }

    /// A node:test file whose tests all sit in one `describe` has no test case directly under
    /// `<testsuites>`: only the node dialect knows the one `<testsuite>` is the `describe`.
    @Test func nodeFileOfOneDescribeKeepsItsName() {
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <testsuites>
            	<testsuite name="discounts" time="0.02" tests="2" failures="1" skipped="0" hostname="vm">
            		<testcase name="applies 10%" time="0.002" classname="test"/>
            		<testcase name="rounds half up" time="0.003" classname="test">
            			<failure type="testCodeFailure" message="497 !== 498">Error</failure>
            		</testcase>
            	</testsuite>
            </testsuites>
            """
        let node = JUnitReader(defaultFile: "test/pricing.test.mjs", dialect: .node).parse(Data(xml.utf8))
        #expect(node.state == .ok)
        #expect(
            node.tests.map(\.id) == [
                "test/pricing.test.mjs::test::discounts::applies 10%",
                "test/pricing.test.mjs::test::discounts::rounds half up",
            ]
        )
        #expect(node.tests.map(\.status) == [.passed, .failed])
        // The generic dialect takes the one suite for a report-level wrapper, as swift's "TestResults".
        let generic = JUnitReader(defaultFile: "test/pricing.test.mjs", dialect: .generic).parse(Data(xml.utf8))
        #expect(generic.tests.map(\.id).first == "test/pricing.test.mjs::test::applies 10%")
    }

    @Test func nodeFailureKeepsTypeMessageAndStack() throws {
        let result = read(Fixtures.nodeTest, defaultFile: "test/a.test.mjs")
        let fails = try #require(result.tests.first { $0.name == "inner throws" })
        #expect(fails.id == "test/a.test.mjs::test::group::inner throws")
        #expect(fails.file == "test/a.test.mjs")
        #expect(fails.failure?.type == "testCodeFailure")
        #expect(fails.failure?.message == "bad type")
        #expect(fails.failure?.details.contains("TypeError [Error]: bad type") == true)
        #expect(result.tests.first { $0.name == "skipped" }?.skipReason == "not now")
    }

    @Test func swiftTestingSuitesBecomeTheClassPart() throws {
        let result = read(Fixtures.swiftTesting)
        #expect(result.state == .ok)
        #expect(
            result.tests.map(\.id) == [
                "LibTests::freeFunction()", "LibTests.MathSuite::adds()", "LibTests.MathSuite::disabled()",
                "LibTests.MathSuite::fails()", "LibTests.MathSuite::param(x:)",
            ]
        )
        let fails = try #require(result.tests.first { $0.name == "fails()" })
        #expect(fails.failure?.message == "Expectation failed: (add(1, 2) → 3) == 4 (error): nope")
        #expect(result.tests.first { $0.name == "disabled()" }?.skipReason == "off")
        #expect(result.tests.first { $0.name == "disabled()" }?.duration == 0)
    }

    @Test func xctestOutputWithBlankLinesAndEmptyBodies() {
        let result = read(Fixtures.swiftXCTest)
        #expect(result.state == .ok)
        #expect(result.tests.map(\.status) == [.passed, .failed, .passed])
        #expect(result.tests[1].failure?.message == "failure")
        #expect(result.tests[0].duration == 0.06359688)
    }

    @Test func pytestDialectLeavesSwiftClassnamesAlone() {
        let result = JUnitReader().parse(Data(Fixtures.swiftTesting.utf8))
        #expect(result.tests.allSatisfy { $0.file.isEmpty })
        #expect(result.tests.first?.id == "LibTests::freeFunction()")
    }

    @Test func genericSingleSuiteWithCDATAAndOutput() throws {
        let xml = """
            <?xml version="1.0"?>
            <testsuite name="com.example.FooTest" tests="2">
              <testcase classname="com.example.FooTest" name="works" time="1,234.5"/>
              <testcase classname="com.example.FooTest" name="breaks" time="0.5">
                <failure type="java.lang.AssertionError" message="expected:&lt;1&gt; but was:&lt;2&gt;"><![CDATA[at Foo.breaks(Foo.java:10)]]></failure>
                <system-out>printed before failing</system-out>
              </testcase>
            </testsuite>
            """
        let result = read(xml)
        #expect(result.state == .ok)
        #expect(result.tests.map(\.id) == ["com.example.FooTest::works", "com.example.FooTest::breaks"])
        #expect(result.tests[0].duration == 1234.5)
        let failure = try #require(result.tests[1].failure)
        #expect(failure.type == "java.lang.AssertionError")
        #expect(failure.message == "expected:<1> but was:<2>")
        #expect(failure.details.contains("at Foo.breaks(Foo.java:10)"))
        #expect(failure.details.contains("printed before failing"))
    }

    @Test func surefireRerunsAreReadAsTheFinalVerdict() {
        let xml = """
            <testsuites><testsuite name="s">
              <testcase classname="tests.test_a" name="test_flaky" file="tests/test_a.py" time="0.1">
                <flakyFailure message="boom" type="AssertionError"><stackTrace>trace</stackTrace></flakyFailure>
              </testcase>
              <testcase classname="tests.test_a" name="test_broken" file="tests/test_a.py" time="0.1">
                <failure message="first">one</failure>
                <rerunFailure message="second"><stackTrace>two</stackTrace></rerunFailure>
              </testcase>
            </testsuite></testsuites>
            """
        let result = JUnitReader().parse(Data(xml.utf8))
        #expect(result.tests.map(\.status) == [.passed, .failed])
        #expect(result.tests[1].failure?.details == "one")
    }
}
