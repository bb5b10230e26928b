import Foundation
import Testing

@testable import TestShardConfig

/// Finding and reading the config file on disk.
@Suite struct SuiteConfigurationLoadingTests {
    @Test func loadReadsTheFileAndTakesItsFolderAsTheRoot() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("suite/testshard.toml", "[suite]\nname = \"api\"\n")

        let config = try SuiteConfiguration.load(file: folder.path + "/suite/testshard.toml")

        #expect(config.name == "api")
        #expect(config.root == URL(fileURLWithPath: folder.path + "/suite").standardizedFileURL.path)
        #expect(config.file == folder.path + "/suite/testshard.toml")
        #expect(!config.isPyproject)
    }

    @Test func loadReadsPyprojectFromItsToolTable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("pyproject.toml", "[project]\nname = \"x\"\n[tool.testshard.suite]\nretries = 3\n")

        let config = try SuiteConfiguration.load(file: folder.path + "/pyproject.toml")

        #expect(config.isPyproject)
        #expect(config.retries == 3)
    }

    @Test func aByteOrderMarkIsAccepted() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("testshard.toml", "\u{FEFF}[suite]\nretries = 2\n")
        #expect(try SuiteConfiguration.load(file: folder.path + "/testshard.toml").retries == 2)
    }

    @Test func aMissingFileIsFileNotFound() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try SuiteConfiguration.load(file: "/nonexistent/dir/testshard.toml")
        }
        #expect(error?.code == .fileNotFound)
        #expect(error?.file == "/nonexistent/dir/testshard.toml")
        #expect(error?.description.hasPrefix("/nonexistent/dir/testshard.toml: no such file") == true)
    }

    @Test func aFolderOrNonUTF8FileIsUnreadable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.makeFolder("cfg.toml")
        let directory = #expect(throws: ConfigurationError.self) {
            try SuiteConfiguration.load(file: folder.path + "/cfg.toml")
        }
        #expect(directory?.code == .unreadable)
        #expect(directory?.message.contains("is a folder") == true)

        try Data([0x5B, 0xFF, 0xFE, 0x5D]).write(to: URL(fileURLWithPath: folder.path + "/testshard.toml"))
        let binary = #expect(throws: ConfigurationError.self) {
            try SuiteConfiguration.load(file: folder.path + "/testshard.toml")
        }
        #expect(binary?.code == .unreadable)
        #expect(binary?.message.contains("UTF-8") == true)
    }

    @Test func locatePrefersTestshardToml() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("testshard.toml", "")
        try folder.write("pyproject.toml", "[tool.testshard]\n")
        #expect(try SuiteConfiguration.locate(in: folder.path) == folder.path + "/testshard.toml")
    }

    @Test func locateFallsBackToPyprojectWithTheTable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("pyproject.toml", "[tool.testshard.suite]\nname = \"x\"\n")
        #expect(try SuiteConfiguration.locate(in: folder.path + "/") == folder.path + "/pyproject.toml")
    }

    @Test func locateSaysWhatItLookedForAndWhere() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("pyproject.toml", "[tool.black]\nline-length = 100\n")
        let error = #expect(throws: ConfigurationError.self) { try SuiteConfiguration.locate(in: folder.path) }
        #expect(error?.code == .fileNotFound)
        #expect(error?.message.contains("no testshard.toml in \(folder.path)") == true)
        #expect(error?.message.contains("pyproject.toml has no [tool.testshard] table") == true)

        let missing = #expect(throws: ConfigurationError.self) {
            try SuiteConfiguration.locate(in: folder.path + "/nope")
        }
        #expect(missing?.code == .fileNotFound)
        #expect(missing?.message.contains("no such folder") == true)
    }

    @Test func locateReportsABrokenPyproject() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("pyproject.toml", "[tool.testshard\n")
        let error = #expect(throws: ConfigurationError.self) { try SuiteConfiguration.locate(in: folder.path) }
        #expect(error?.code == .syntax)
        #expect(error?.file == folder.path + "/pyproject.toml")
    }
}
