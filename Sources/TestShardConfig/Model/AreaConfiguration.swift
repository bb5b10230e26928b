import TestShardModel

/// How much a business area matters: drives the report's coverage section and the severity of failures
/// in it.
public enum AreaCriticality: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Breakage here stops the business (payments, login, chat).
    case critical
    /// Important, but not a stop.
    case high
    /// Everything else (the default).
    case normal

    /// The report's weight `A` (report-anchors §8.7): critical 3, high 2, normal 1.
    public var weight: Int {
        switch self {
        case .critical: 3
        case .high: 2
        case .normal: 1
        }
    }

    /// Ordered by weight: `normal < high < critical`.
    public static func < (lhs: AreaCriticality, rhs: AreaCriticality) -> Bool { lhs.weight < rhs.weight }
}

/// `[[area]]`: a business area, the test files that cover it, and who owns it.
public struct AreaConfiguration: Sendable, Hashable {
    /// Unique id, e.g. `payments`.
    public var id: String
    /// How much it matters (default `normal`).
    public var criticality: AreaCriticality
    /// The test files that belong to the area (at least one glob).
    public var globs: [Glob]
    /// The owning team or person, when given.
    public var owner: String?

    public init(id: String, criticality: AreaCriticality = .normal, globs: [Glob], owner: String? = nil) {
        self.id = id
        self.criticality = criticality
        self.globs = globs
        self.owner = owner
    }

    /// Whether `path` (a file, or a `path::test` node id: its file part is matched) is in the area.
    public func contains(_ path: String) -> Bool {
        let file = WorkItem(path).file
        return globs.contains { $0.matches(file) }
    }
}
