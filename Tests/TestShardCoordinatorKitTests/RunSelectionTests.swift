import Testing
@testable import TestShardCoordinatorKit
import TestShardModel

@Suite struct RunSelectionTests {
    @Test func relativePathsResolveAgainstTheRoot() throws {
        #expect(try RunSelection.relative("/srv/suite/tests/a.py", root: "/srv/suite") == "tests/a.py")
        #expect(throws: (any Error).self) { try RunSelection.relative("/etc/passwd", root: "/srv/suite") }
    }
}
