/// What the worker found where the runner's JUnit XML should be (`junit_state` in `shard_result`).
public enum JUnitState: String, Codable, Hashable, Sendable, CaseIterable {
    /// The file parsed completely.
    case ok
    /// The runner wrote no file.
    case missing
    /// The file exists but is empty.
    case empty
    /// The document ends early (the runner was killed while writing it).
    case truncated
    /// The file is not well-formed XML, or not JUnit.
    case corrupt
}
