import Testing

@testable import TestShardExecution

@Suite("SwiftTestSourceScanner")
struct SwiftTestSourceScannerTests {
    @Test func swiftTestingSuitesNestedSuitesAndFreeFunctions() {
        let found = SwiftTestSourceScanner.scan(
            """
            import Testing
            @testable import Lib

            @Suite struct MathSuite {
                @Test func adds() { #expect(add(1, 2) == 3) }
                @Test("fails on purpose", .tags(.slow)) func fails() { #expect(add(1, 2) == 4) }
                @Test(.disabled("off")) func disabled() {}
                @Test(arguments: [1, 2]) func param(x: Int) { #expect(x == 1) }
                func helper() {}
                struct Inner {
                    @Test @MainActor func nested() async throws {}
                }
            }

            @Test func freeFunction() {}
            """
        )
        #expect(found.importsTesting)
        #expect(
            found.testFunctions == [
                "MathSuite.adds", "MathSuite.fails", "MathSuite.disabled", "MathSuite.param",
                "MathSuite.Inner.nested", "freeFunction",
            ]
        )
        #expect(found.xctestClasses.isEmpty)
    }

    @Test func xctestClassesNeedASuperclassAndTestMethods() {
        let found = SwiftTestSourceScanner.scan(
            """
            import XCTest

            final class MathXCTests: XCTestCase {
                func testAdd() { XCTAssertEqual(1 + 1, 2) }
                func testThrows() throws {}
                class func helperMaker() -> Int { 1 }
            }
            class Helper { func testLike() {} }
            class Base: XCTestCase { func setUpHelper() {} }
            class WithArgument: XCTestCase { func testing(_ value: Int) {} }
            """
        )
        #expect(found.xctestClasses == ["MathXCTests"])
        #expect(!found.mayHoldSwiftTesting)
    }

    @Test func extensionsCountUnderTheExtendedType() {
        let found = SwiftTestSourceScanner.scan(
            """
            import Testing
            extension MathSuite.Inner {
                @Test func more() {}
            }
            extension MathSuite { @Test func other() {} }
            """
        )
        #expect(found.testFunctions == ["MathSuite.Inner.more", "MathSuite.other"])
    }

    @Test func commentsStringsAndBodiesHideNothingAndAddNothing() {
        let found = SwiftTestSourceScanner.scan(
            #"""
            import Testing
            // @Test func commented() {}
            /* a block /* nested */ @Test func alsoCommented() { */
            @Suite struct S {
                @Test func braces() {
                    let json = "{ \"a\": \(["}"].count) }"
                    let raw = #"@Test func inRaw() { "#
                    let multi = """
                        } @Test func inMultiline() {
                        """
                    func local() {}
                    _ = (json, raw, multi)
                }
                @Test func after() {}
            }
            """#
        )
        #expect(found.testFunctions == ["S.braces", "S.after"])
    }

    @Test func aFileWithoutTestsIsEmpty() {
        let found = SwiftTestSourceScanner.scan("struct Helper { func make() -> Int { 1 } }\n")
        #expect(found.isEmpty)
    }

    @Test(arguments: ["", "}}}{{", "@Test", "@Test func", "\"unterminated", "/* open", "class", "extension ."])
    func brokenTextFindsNothingAndDoesNotTrap(_ text: String) {
        #expect(SwiftTestSourceScanner.scan(text).testFunctions.isEmpty)
    }
}
