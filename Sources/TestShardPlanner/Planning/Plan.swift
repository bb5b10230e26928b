import TestShardModel

/// A time-balanced split of a suite into shards: what `plan` prints and what a run starts from.
///
/// Its JSON is the contract in DESIGN.md (`shards[].index/items/estimated_seconds`,
/// `lower_bound_seconds`, `estimated_makespan_seconds`); the other keys are additions.
public struct Plan: Codable, Sendable, Hashable {
    /// One shard: the items one process runs, in id order.
    public struct Shard: Codable, Sendable, Hashable {
        /// Position, 0-based; every index from 0 to N-1 appears once, in order.
        public var index: Int
        /// Whole files and, for files that were split, single tests (`path::test`), sorted by id.
        public var items: [WorkItem]
        /// Sum of the items' estimates.
        public var estimatedSeconds: Double

        /// Creates a shard.
        public init(index: Int, items: [WorkItem], estimatedSeconds: Double) {
            self.index = index
            self.items = items
            self.estimatedSeconds = estimatedSeconds
        }

        enum CodingKeys: String, CodingKey {
            case index
            case items
            case estimatedSeconds = "estimated_seconds"
        }
    }

    /// The item that alone sets a floor on the wall time.
    public struct LongestItem: Codable, Sendable, Hashable {
        /// The item (a file, or a test of a split file).
        public var item: WorkItem
        /// Its estimate.
        public var seconds: Double

        /// Creates the entry.
        public init(item: WorkItem, seconds: Double) {
            self.item = item
            self.seconds = seconds
        }
    }

    /// Exactly N shards, by index. A shard is empty only when there are fewer than N items.
    public var shards: [Shard]
    /// `max(total / N, longest item)`: no split of these items can finish sooner.
    public var lowerBoundSeconds: Double
    /// The largest shard estimate.
    public var estimatedMakespanSeconds: Double
    /// Sum of all item estimates.
    public var totalSeconds: Double
    /// The longest single item, or `nil` for an empty plan.
    public var longestItem: LongestItem?
    /// Files that were cut into test items, sorted. Only tests with history are listed in the
    /// shards: tests of these files that have no history are in no shard, so the caller must run
    /// them as a remainder (for example one more item that deselects the listed tests).
    public var splitFiles: [String]
    /// Files whose estimate is not their own history (folder or suite median, or the default),
    /// sorted: the plan is a guess for them.
    public var unknownFiles: [String]

    /// Creates a plan.
    public init(
        shards: [Shard],
        lowerBoundSeconds: Double,
        estimatedMakespanSeconds: Double,
        totalSeconds: Double,
        longestItem: LongestItem?,
        splitFiles: [String],
        unknownFiles: [String]
    ) {
        self.shards = shards
        self.lowerBoundSeconds = lowerBoundSeconds
        self.estimatedMakespanSeconds = estimatedMakespanSeconds
        self.totalSeconds = totalSeconds
        self.longestItem = longestItem
        self.splitFiles = splitFiles
        self.unknownFiles = unknownFiles
    }

    enum CodingKeys: String, CodingKey {
        case shards
        case lowerBoundSeconds = "lower_bound_seconds"
        case estimatedMakespanSeconds = "estimated_makespan_seconds"
        case totalSeconds = "total_seconds"
        case longestItem = "longest_item"
        case splitFiles = "split_files"
        case unknownFiles = "unknown_files"
    }

    /// Reads the contract's keys; the added keys may be missing (older or foreign writers).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shards = try container.decode([Shard].self, forKey: .shards)
        lowerBoundSeconds = try container.decode(Double.self, forKey: .lowerBoundSeconds)
        estimatedMakespanSeconds = try container.decode(Double.self, forKey: .estimatedMakespanSeconds)
        totalSeconds =
            try container.decodeIfPresent(Double.self, forKey: .totalSeconds)
            ?? shards.reduce(0) { $0 + $1.estimatedSeconds }
        longestItem = try container.decodeIfPresent(LongestItem.self, forKey: .longestItem)
        splitFiles = try container.decodeIfPresent([String].self, forKey: .splitFiles) ?? []
        unknownFiles = try container.decodeIfPresent([String].self, forKey: .unknownFiles) ?? []
    }
}
