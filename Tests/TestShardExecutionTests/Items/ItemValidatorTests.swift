import Foundation
import TestShardModel
import Testing

@testable import TestShardExecution

@Suite("ItemValidator")
struct ItemValidatorTests {
    private let include = GlobSet(include: [try! Glob("tests/**/test_*.py")], exclude: [try! Glob("tests/vendor/**")])

    private func suite() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory("items")
        try folder.write("tests/test_a.py", "def test_x(): pass\n")
        try folder.write("tests/sub/test_b.py", "def test_y(): pass\n")
        try folder.write("tests/vendor/test_c.py", "")
        try FileManager.default.createDirectory(
            atPath: folder.path + "/tests/test_dir.py",
            withIntermediateDirectories: true
        )
        return folder
    }

    private func refusal(_ id: String, in folder: TemporaryDirectory) -> ItemRefusal? {
        ItemValidator(root: folder.path, include: include).validate([WorkItem(id)])
    }

    @Test func plainFilesAndTestsInsideTheRootAreAccepted() throws {
        let folder = try suite()
        let validator = ItemValidator(root: folder.path, include: include)
        #expect(
            validator.validate(["tests/test_a.py", "tests/sub/test_b.py::test_y", "tests/test_a.py::T::t[a/../b]"])
                == nil
        )
    }

    @Test(arguments: [
        ("/etc/passwd", ItemRefusal.Code.absolute),
        ("tests/../tests/test_a.py", .dotSegment),
        ("tests/./test_a.py", .dotSegment),
        ("-x", .looksLikeOption),
        ("--collect-only", .looksLikeOption),
        ("", .malformed),
        ("::test_x", .malformed),
        ("tests//test_a.py", .malformed),
        ("tests/test_a.py\n--pdb", .malformed),
        ("tests/test_a.py\0", .malformed),
        ("tests/test_a.py::t\r", .malformed),
        ("setup.py", .outsideGlobs),
        ("tests/vendor/test_c.py", .outsideGlobs),
        ("tests/test_missing.py", .missing),
        ("tests/test_dir.py", .missing),
    ])
    func badItemsAreRefusedWithTheRuleTheyBroke(id: String, code: ItemRefusal.Code) throws {
        let folder = try suite()
        let found = try #require(refusal(id, in: folder))
        #expect(found.code == code)
        #expect(found.item == WorkItem(id))
        #expect(found.message.hasPrefix("refused item \""))
    }

    @Test func symlinkLeavingTheRootIsRefused() throws {
        let folder = try suite()
        let outside = try TemporaryDirectory("outside")
        try outside.write("test_secret.py", "")
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/tests/test_link.py",
            withDestinationPath: outside.path + "/test_secret.py"
        )
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/tests/linked",
            withDestinationPath: outside.path
        )
        #expect(refusal("tests/test_link.py", in: folder)?.code == .escapesRoot)
        #expect(refusal("tests/linked/test_secret.py", in: folder)?.code == .escapesRoot)
        // A file that does not exist behind a link out of the root is refused too (as missing).
        #expect(refusal("tests/linked/test_absent.py", in: folder)?.code == .missing)
    }

    /// A root named through a symlink (a checkout under a linked folder) is the folder it leads
    /// to: its files are inside it.
    @Test func aRootNamedThroughASymlinkHoldsItsFiles() throws {
        let folder = try suite()
        let links = try TemporaryDirectory("links")
        try FileManager.default.createSymbolicLink(atPath: links.path + "/checkout", withDestinationPath: folder.path)
        let validator = ItemValidator(root: links.path + "/checkout", include: include)
        #expect(validator.validate(["tests/test_a.py", "tests/sub/test_b.py::test_y"]) == nil)
        #expect(validator.validate(["tests/test_missing.py"])?.code == .missing)
    }

    @Test func symlinkStayingInsideTheRootIsAccepted() throws {
        let folder = try suite()
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/tests/test_alias.py",
            withDestinationPath: folder.path + "/tests/test_a.py"
        )
        #expect(refusal("tests/test_alias.py", in: folder) == nil)
    }

    @Test func theFirstBadItemNamesTheRefusal() throws {
        let folder = try suite()
        let refusal = ItemValidator(root: folder.path, include: include).validate([
            "tests/test_a.py", "tests/nope.py", "/abs",
        ])
        #expect(refusal?.item == "tests/nope.py")
        #expect(refusal?.message.contains("tests/nope.py") == true)
    }
}
