import TestShardModel

/// One `[[triage_rule]]`: when every condition it sets matches a failure cluster, the cluster gets
/// the rule's category and action, and the report records `rule:<id>` as the reason. Rules are
/// tried in order; the first match wins.
public struct TriageRule: Codable, Sendable, Hashable {
    /// Stable id, shown as `rule:<id>` (for example `infra.docker.start`).
    public var id: String
    public var category: CauseCategory
    /// A regex searched for in the failure message (the raw `Type: message` line, or the
    /// normalized signature).
    public var message: String?
    /// A regex the whole exception type must match (`AttributeError`, `.*TimeoutError`).
    public var type: String?
    /// The shard exit kind a shard-level failure must have (`timeout`, `crash`, …).
    public var exitKind: ShardExitKind?
    /// The test phase every failure of the cluster must be in.
    public var phase: TestPhase?
    /// What a gardener should do about it; shown as the cluster's next action.
    public var action: String?
    /// The lowest severity a matching cluster is shown with.
    public var severityFloor: Severity?

    public init(
        id: String,
        category: CauseCategory,
        message: String? = nil,
        type: String? = nil,
        exitKind: ShardExitKind? = nil,
        phase: TestPhase? = nil,
        action: String? = nil,
        severityFloor: Severity? = nil
    ) {
        self.id = id
        self.category = category
        self.message = message
        self.type = type
        self.exitKind = exitKind
        self.phase = phase
        self.action = action
        self.severityFloor = severityFloor
    }
}
