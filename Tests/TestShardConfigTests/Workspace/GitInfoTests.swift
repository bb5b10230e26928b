import Foundation
import Testing

@testable import TestShardConfig

/// Revision, dirtiness and changed files on real temporary repositories.
@Suite struct GitInfoTests {
    /// A repository with two commits; returns the first commit's sha.
    func makeRepository(_ folder: TemporaryFolder) throws -> String {
        try folder.git("init", "-q")
        try folder.write(".gitignore", "*.log\n")
        try folder.write("app.py", "v1")
        try folder.write("tests/test_app.py", "v1")
        try folder.write("tests/test_old_name.py", "v1")
        try folder.git("add", ".")
        try folder.git("commit", "-q", "-m", "first")
        let first = try folder.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try folder.write("tests/test_app.py", "v2")
        try folder.write("src/new_module.py", "v1")
        try folder.git("mv", "tests/test_old_name.py", "tests/test_new_name.py")
        try folder.git("add", ".")
        try folder.git("commit", "-q", "-m", "second")
        return first
    }

    @Test func changedFilesSinceARevisionIncludeCommitsWorkingTreeAndUntracked() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try makeRepository(folder)
        try folder.write("app.py", "v1 edited, not staged")
        try folder.write("tests/test_brand_new.py", "untracked")
        try folder.write("debug.log", "ignored")

        let changed = try GitInfo.changedFiles(root: folder.path, since: first)

        #expect(
            changed == [
                "app.py",
                "src/new_module.py",
                "tests/test_app.py",
                "tests/test_brand_new.py",
                "tests/test_new_name.py",
                "tests/test_old_name.py",  // both sides of the rename
            ]
        )
    }

    @Test func changedFilesSinceHeadAreOnlyTheWorkingTreeChanges() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try makeRepository(folder)
        #expect(try GitInfo.changedFiles(root: folder.path, since: "HEAD").isEmpty)
        try folder.write("tests/test_app.py", "v3")
        #expect(
            try GitInfo.changedFiles(root: folder.path, since: "HEAD~1") == [
                "src/new_module.py", "tests/test_app.py", "tests/test_new_name.py", "tests/test_old_name.py",
            ]
        )
        #expect(try GitInfo.changedFiles(root: folder.path, since: "HEAD") == ["tests/test_app.py"])
    }

    @Test func changedFilesUnderASubfolderRootAreRelativeToIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try makeRepository(folder)
        #expect(
            try GitInfo.changedFiles(root: folder.path + "/tests", since: first) == [
                "test_app.py", "test_new_name.py", "test_old_name.py",
            ]
        )
    }

    @Test(arguments: ["no-such-branch", "deadbeefdeadbeef", "-p"])
    func anUnknownRevisionIsAnErrorNamingIt(_ revision: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try makeRepository(folder)
        let error = #expect(throws: WorkspaceError.self) {
            try GitInfo.changedFiles(root: folder.path, since: revision)
        }
        #expect(error?.code == .unknownRevision)
        #expect(error?.message.contains("\"\(revision)\"") == true)
    }

    @Test func outsideACheckoutThereIsNoRevisionAndChangedFilesIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("tests/test_a.py")
        #expect(GitInfo.revision(root: folder.path) == nil)
        #expect(GitInfo.isDirty(root: folder.path) == nil)
        let error = #expect(throws: WorkspaceError.self) {
            try GitInfo.changedFiles(root: folder.path, since: "HEAD")
        }
        #expect(error?.code == .notAGitCheckout)
        #expect(error?.message.contains(folder.path) == true)
    }

    @Test func revisionAndDirtiness() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.git("init", "-q")
        #expect(GitInfo.revision(root: folder.path) == nil)  // no commits yet
        _ = try makeRepository(folder)
        let head = try folder.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(GitInfo.revision(root: folder.path) == head)
        #expect(GitInfo.isDirty(root: folder.path) == false)
        try folder.write("debug.log", "ignored files do not make it dirty")
        #expect(GitInfo.isDirty(root: folder.path) == false)
        try folder.write("tests/test_app.py", "edited")
        #expect(GitInfo.isDirty(root: folder.path) == true)
    }
}
