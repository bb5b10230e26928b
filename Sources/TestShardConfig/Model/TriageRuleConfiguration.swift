import TestShardModel

/// The cause category a failure cluster is filed under (report-anchors §8.6).
public enum TriageCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// The harness or a worker failed (lost worker, crash, no results, docker daemon down).
    case infrastructure
    /// The environment the tests ran in (timeouts, missing services, resources).
    case environment
    /// The tests' own setup: fixtures, config drift, broken helpers.
    case testInfrastructure = "test_infrastructure"
    /// The product under test is wrong.
    case product
    /// Nothing decided it.
    case unknown
}

/// A severity level, from `LOW` to `CRITICAL`.
public enum TriageSeverity: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Breaks a critical area or the run itself.
    case critical = "CRITICAL"
    /// Needs attention today.
    case high = "HIGH"
    /// Worth fixing soon.
    case medium = "MEDIUM"
    /// Cosmetic or already known.
    case low = "LOW"

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    /// Ordered `LOW < MEDIUM < HIGH < CRITICAL`.
    public static func < (lhs: TriageSeverity, rhs: TriageSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// `[[triage_rule]]`: a user rule that files matching failures under a category (first match wins,
/// in config order).
public struct TriageRuleConfiguration: Sendable, Hashable {
    /// Unique id, shown in the report as the reason for the category (e.g. `infra.docker.start`).
    public var id: String
    /// The category a match is filed under.
    public var category: TriageCategory
    /// Searched for anywhere in the failure's message (`message`).
    public var message: ConfiguredRegex?
    /// Must match the whole exception type name, e.g. `AttributeError` (`type`).
    public var type: ConfiguredRegex?
    /// The shard exit kind the failure came with (`exit_kind`).
    public var exitKind: ShardExitKind?
    /// What the gardener should do, shown with the cluster.
    public var action: String?
    /// The lowest severity a matching cluster is given.
    public var severityFloor: TriageSeverity?

    public init(
        id: String,
        category: TriageCategory,
        message: ConfiguredRegex? = nil,
        type: ConfiguredRegex? = nil,
        exitKind: ShardExitKind? = nil,
        action: String? = nil,
        severityFloor: TriageSeverity? = nil
    ) {
        self.id = id
        self.category = category
        self.message = message
        self.type = type
        self.exitKind = exitKind
        self.action = action
        self.severityFloor = severityFloor
    }

    /// Whether a failure matches: every condition the rule sets must hold, and a condition on
    /// something the failure lacks (no message, no exception type, no exit kind) does not hold.
    public func matches(message text: String?, exceptionType: String?, exitKind kind: ShardExitKind?) -> Bool {
        if let message {
            guard let text, message.occurs(in: text) else { return false }
        }
        if let type {
            guard let exceptionType, type.matchesEntirely(exceptionType) else { return false }
        }
        if let exitKind {
            guard kind == exitKind else { return false }
        }
        return message != nil || type != nil || exitKind != nil
    }
}
