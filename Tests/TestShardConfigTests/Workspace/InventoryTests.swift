import Foundation
import TestShardModel
import Testing

@testable import TestShardConfig

/// Discovering the suite's test files on real folder trees, with and without git.
@Suite struct InventoryTests {
    static let config = """
        [suite]
        include = ["tests/**/test_*.py", "tests/**/*_test.py"]
        exclude = ["tests/slow/**"]
        """

    func configuration(root: String, _ text: String = config) throws -> SuiteConfiguration {
        try SuiteConfiguration.parse(text, file: "testshard.toml", root: root)
    }

    /// A tree with everything the walk must include, leave out, and not follow.
    func makeTree(_ folder: TemporaryFolder) throws {
        try folder.write("testshard.toml", Self.config)
        try folder.write("tests/test_a.py")
        try folder.write("tests/sub/test_b.py")
        try folder.write("tests/sub/deep/c_test.py")
        try folder.write("tests/B_test.py")
        try folder.write("tests/conftest.py")  // not a test file
        try folder.write("tests/slow/test_slow.py")  // excluded
        try folder.write("src/test_not_under_tests.py")  // outside the include prefix
        try folder.write("tests/.git/test_in_git_folder.py")  // .git is never walked
        try folder.write("elsewhere/test_outside.py")
        try folder.symlink("tests/linked", to: "../elsewhere")  // a symlinked folder is not followed
        try folder.symlink("tests/test_alias.py", to: "test_a.py")  // not a regular file
    }

    @Test func walkSelectsIncludedRegularFilesInByteOrder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try makeTree(folder)

        let files = try Inventory.discover(configuration(root: folder.path))

        #expect(
            files == [
                "tests/B_test.py",
                "tests/sub/deep/c_test.py",
                "tests/sub/test_b.py",
                "tests/test_a.py",
            ]
        )
    }

    @Test func discoveryIsDeterministic() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try makeTree(folder)
        for index in 0..<40 { try folder.write("tests/many/test_\((index * 7919) % 97).py") }

        let config = try configuration(root: folder.path)
        let first = try Inventory.discover(config)
        #expect(try Inventory.discover(config) == first)
        #expect(first == first.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(Set(first).count == first.count)
    }

    @Test func aGlobStartingWithAWildcardWalksTheWholeRootButStillSkipsSymlinksAndGit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try makeTree(folder)

        let files = try Inventory.discover(configuration(root: folder.path, "[suite]\ninclude = [\"**/test_*.py\"]"))

        #expect(
            files == [
                "elsewhere/test_outside.py",
                "src/test_not_under_tests.py",
                "tests/slow/test_slow.py",
                "tests/sub/test_b.py",
                "tests/test_a.py",
            ]
        )
    }

    @Test func aMissingIncludeFolderGivesNoFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("testshard.toml")
        #expect(try Inventory.discover(configuration(root: folder.path)).isEmpty)
    }

    @Test func aMissingRootIsAnErrorNamingIt() throws {
        let error = #expect(throws: WorkspaceError.self) {
            try Inventory.discover(self.configuration(root: "/nonexistent/testshard-suite"))
        }
        #expect(error?.code == .unreadableFolder)
        #expect(error?.message.contains("/nonexistent/testshard-suite") == true)
    }

    @Test func gitIgnoredFilesAreLeftOutAndUntrackedOnesKept() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.git("init", "-q")
        try folder.write("testshard.toml", Self.config)
        try folder.write(".gitignore", "build/\n*.generated.py\n")
        try folder.write("tests/test_tracked.py")
        try folder.write("tests/test_deleted.py")
        try folder.write("tests/build/test_forced.py")
        try folder.git("add", ".gitignore", "testshard.toml", "tests/test_tracked.py", "tests/test_deleted.py")
        try folder.git("add", "-f", "tests/build/test_forced.py")
        try folder.git("commit", "-q", "-m", "one")
        try FileManager.default.removeItem(atPath: folder.path + "/tests/test_deleted.py")
        try folder.write("tests/test_untracked.py")  // not ignored: kept
        try folder.write("tests/build/test_ignored.py")  // ignored folder
        try folder.write("tests/test_x.generated.py")  // ignored pattern
        try folder.symlink("tests/linked", to: "../elsewhere")
        try folder.write("elsewhere/test_outside.py")

        let files = try Inventory.discover(configuration(root: folder.path))

        #expect(
            files == [
                "tests/build/test_forced.py",  // tracked even though ignored: git keeps it, so do we
                "tests/test_tracked.py",
                "tests/test_untracked.py",
            ]
        )
    }

    @Test func aSuiteInASubfolderOfACheckoutListsPathsRelativeToItsRoot() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.git("init", "-q")
        try folder.write(".gitignore", "*.log\nsuite/tests/ignored/\n")
        try folder.write("suite/testshard.toml", Self.config)
        try folder.write("suite/tests/test_one.py")
        try folder.write("suite/tests/ignored/test_two.py")
        try folder.write("tests/test_other_suite.py")

        let files = try Inventory.discover(configuration(root: folder.path + "/suite"))

        #expect(files == ["tests/test_one.py"])
    }

    @Test func selectFiltersSortsAndDeduplicates() throws {
        let set = GlobSet(include: [try Glob("tests/**/*.py")], exclude: [try Glob("tests/skip/**")])
        let selected = Inventory.select(
            paths: ["tests/z.py", "tests/a.py", "tests/skip/b.py", "docs/x.py", "tests/a.py", "tests/Z.py"],
            using: set
        )
        #expect(selected == ["tests/Z.py", "tests/a.py", "tests/z.py"])
    }

    @Test func walkPrefixesKeepOnlyTheOutermostFolders() throws {
        let globs = try ["tests/api/**/test_*.py", "tests/**/x.py", "tests/api/v2/*.py", "it/{a,b}/*.py"].map(Glob.init)
        #expect(Inventory.walkPrefixes(for: globs) == ["it/a", "it/b", "tests"])
        #expect(Inventory.walkPrefixes(for: globs + [try Glob("*.py")]) == [""])
    }
}
