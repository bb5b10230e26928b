/// What most likely caused a failure cluster (report-anchors §8.6). Independent of the history
/// status and the flakiness label.
public enum CauseCategory: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// The harness or a worker: lost workers, crashed runners, missing results, a sick host.
    case infrastructure
    /// What the tests need around them: services, ports, packages, time limits.
    case environment
    /// The tests' own machinery: fixtures, setup, config classes, collection.
    case testInfrastructure = "test_infrastructure"
    /// The code under test: an assertion failed.
    case product
    /// Nothing matched.
    case unknown

    /// `S_cat` of the priority score (report-anchors §8.7).
    public var weight: Double {
        switch self {
        case .infrastructure: 3
        case .environment: 2
        case .product: 2
        case .testInfrastructure: 1.5
        case .unknown: 1.5
        }
    }

    /// Whether failures of this category say nothing about the code under test (§8.1 `X`).
    public var isInfrastructureLike: Bool { self == .infrastructure || self == .environment }

    /// The human label: `test-infrastructure` rather than the JSON value.
    public var label: String {
        switch self {
        case .testInfrastructure: "test-infrastructure"
        default: rawValue
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: CauseCategory, rhs: CauseCategory) -> Bool { lhs.order < rhs.order }
}

/// How urgent a cluster is (report-anchors §8.7).
public enum Severity: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case low = "LOW"
    case medium = "MEDIUM"
    case high = "HIGH"
    case critical = "CRITICAL"

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
