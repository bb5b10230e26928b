/// What a JUnit result file turned out to be. Anything but `ok` means the runner did not finish
/// writing it: the shard's results are incomplete even if some test cases could be read.
public enum JUnitFileState: String, Codable, Sendable, CaseIterable {
    /// A complete document: every element closed, no parse error.
    case ok
    /// No file at the path.
    case missing
    /// The file exists but holds no XML (zero bytes, or only whitespace).
    case empty
    /// The document stops in the middle: the writer was killed or the disk filled up. Test cases
    /// closed before the cut are still returned.
    case truncated
    /// Not a JUnit document, or broken in the middle (not merely cut short).
    case corrupt

    /// Whether the file can be trusted as the runner's complete report.
    public var isComplete: Bool { self == .ok }
}
