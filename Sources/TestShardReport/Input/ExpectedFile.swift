/// One file of the run's inventory. A missing result for it is a result: the report gives it a
/// final state either way.
public struct ExpectedFile: Codable, Sendable, Hashable {
    /// Path relative to the suite root.
    public var path: String
    /// Area ids, when the coordinator already matched them; `nil` → matched from the area globs.
    public var areas: [String]?
    /// Category ids, when already matched; `nil` → matched from the category globs.
    public var categories: [String]?
    /// The planner's estimate in seconds (used to say how long what did not run would have taken).
    public var estimateSeconds: Double?

    public init(path: String, areas: [String]? = nil, categories: [String]? = nil, estimateSeconds: Double? = nil) {
        self.path = path
        self.areas = areas
        self.categories = categories
        self.estimateSeconds = estimateSeconds
    }
}
