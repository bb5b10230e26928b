/// A file's size and modification time: what says it is unchanged since it was last looked at.
public struct FileStamp: Sendable, Hashable {
    /// Bytes.
    public var size: Int64
    /// Modification time in nanoseconds since the Unix epoch.
    public var modifiedNanoseconds: Int64

    /// Creates a stamp.
    public init(size: Int64, modifiedNanoseconds: Int64) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}
