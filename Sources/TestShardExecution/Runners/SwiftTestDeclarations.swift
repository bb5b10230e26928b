/// What one Swift test source file declares: enough to select its tests with `swift test --filter`
/// and to map JUnit results (`classname="Module.Suite"`, `name="test()"`) back to the file.
///
/// Found by `SwiftTestSourceScanner`, a scan of the file's tokens (comments and string literals
/// skipped, braces matched), not a compiler: tests that macros or `#if` produce are not seen.
public struct SwiftTestDeclarations: Sendable, Hashable {
    /// swift-testing `@Test` functions that are members of a type or at file scope, as the type
    /// path and base name joined by dots (`MathSuite.Inner.nested`), or the base name alone at file
    /// scope (`freeFunction`). Functions in an `extension` count under the extended type.
    public var testFunctions: Set<String>
    /// XCTest classes declared here: classes with a superclass that declare `test…()` methods, by
    /// type path (`MathXCTests`). XCTest's results name only the class, so a class's tests belong
    /// to the file that declares it.
    public var xctestClasses: Set<String>
    /// Whether the file imports Testing.
    public var importsTesting: Bool

    public init(testFunctions: Set<String> = [], xctestClasses: Set<String> = [], importsTesting: Bool = false) {
        self.testFunctions = testFunctions
        self.xctestClasses = xctestClasses
        self.importsTesting = importsTesting
    }

    /// Whether the file may hold swift-testing tests (it imports Testing or declares `@Test`s).
    public var mayHoldSwiftTesting: Bool { importsTesting || !testFunctions.isEmpty }

    /// Whether the file declares anything a test run would select.
    public var isEmpty: Bool { !mayHoldSwiftTesting && xctestClasses.isEmpty }
}
