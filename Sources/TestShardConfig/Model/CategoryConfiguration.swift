import TestShardModel

/// `[[category]]`: a named slice of the suite (unit, integration, api, …) that `run --category` selects.
public struct CategoryConfiguration: Sendable, Hashable {
    /// Unique id, e.g. `unit`.
    public var id: String
    /// The test files in the category (at least one glob).
    public var globs: [Glob]

    public init(id: String, globs: [Glob]) {
        self.id = id
        self.globs = globs
    }

    /// Whether `path` (a file, or a `path::test` node id: its file part is matched) is in the category.
    public func contains(_ path: String) -> Bool {
        let file = WorkItem(path).file
        return globs.contains { $0.matches(file) }
    }
}
