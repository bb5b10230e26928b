import Foundation

extension SuiteConfiguration {
    /// The config file names `locate(in:)` looks for, in order.
    public static let fileNames = ["testshard.toml", "pyproject.toml"]

    /// Reads and checks the config in `file` (absolute, or relative to the current folder). A file named
    /// `pyproject.toml` is read from its `[tool.testshard]` table. The suite root is the file's folder.
    ///
    /// Messages name the file as `file` was given.
    public static func load(file: String) throws(ConfigurationError) -> SuiteConfiguration {
        let absolute = absolutePath(file)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw ConfigurationError(
                code: .fileNotFound,
                file: file,
                message: "no such file (looked for \(absolute)); pass the suite's testshard.toml with --config FILE"
            )
        }
        if isDirectory.boolValue {
            throw ConfigurationError(
                code: .unreadable,
                file: file,
                message: "is a folder, not a config file; name the testshard.toml (or pyproject.toml) inside it"
            )
        }
        let text = try readText(absolute, as: file)
        let root = (absolute as NSString).deletingLastPathComponent
        let pyproject = (absolute as NSString).lastPathComponent == "pyproject.toml"
        return try parse(text, file: file, root: root.isEmpty ? "/" : root, pyproject: pyproject)
    }

    /// The config file for the suite rooted at `directory`: its `testshard.toml`, else its
    /// `pyproject.toml` when that has a `[tool.testshard]` table. The returned path is `directory`
    /// joined with the file name (relative when `directory` is).
    public static func locate(in directory: String) throws(ConfigurationError) -> String {
        let folder = directory.isEmpty ? "." : directory
        let absoluteFolder = absolutePath(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absoluteFolder, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw ConfigurationError(
                code: .fileNotFound,
                file: folder,
                message: "no such folder to look for testshard.toml in (\(absoluteFolder))"
            )
        }
        func join(_ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }

        let toml = join("testshard.toml")
        if FileManager.default.fileExists(atPath: absolutePath(toml)) { return toml }

        let pyproject = join("pyproject.toml")
        var note = "no pyproject.toml either"
        if FileManager.default.fileExists(atPath: absolutePath(pyproject)) {
            let text = try readText(absolutePath(pyproject), as: pyproject)
            if try hasTestShardTable(text, file: pyproject) { return pyproject }
            note = "pyproject.toml has no [tool.testshard] table"
        }
        throw ConfigurationError(
            code: .fileNotFound,
            file: folder,
            message: "no testshard.toml in \(absoluteFolder) (\(note)); create testshard.toml at the suite root "
                + "or pass --config FILE"
        )
    }

    /// Checks and builds a configuration from config text: the pure form of `load(file:)`.
    ///
    /// - Parameters:
    ///   - text: the TOML document.
    ///   - file: the name used in error messages and kept in `file`.
    ///   - root: the suite root (absolute path of the folder holding the file).
    ///   - pyproject: read the schema from the document's `[tool.testshard]` table.
    public static func parse(
        _ text: String,
        file: String,
        root: String,
        pyproject: Bool = false
    )
        throws(ConfigurationError) -> SuiteConfiguration
    {
        try ConfigurationDecoder(file: file, root: root, pyproject: pyproject).decode(text)
    }

    // MARK: - Helpers

    private static func hasTestShardTable(_ text: String, file: String) throws(ConfigurationError) -> Bool {
        do {
            _ = try parse(text, file: file, root: "/", pyproject: true)
            return true
        } catch  where error.code == .missingKey && error.key == "tool.testshard" {
            return false
        } catch  where error.code == .syntax {
            throw error
        } catch {
            // The table is there but has a problem: report that file, `load` will say what it is.
            return true
        }
    }

    private static func readText(_ absolute: String, as file: String) throws(ConfigurationError) -> String {
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw ConfigurationError(
                code: .unreadable,
                file: file,
                message: "cannot read the file (check its permissions)"
            )
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(code: .unreadable, file: file, message: "is not UTF-8 text; save it as UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    static func absolutePath(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
