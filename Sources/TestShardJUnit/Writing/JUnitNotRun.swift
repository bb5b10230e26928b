/// A test file that ended the run without any result (its shard timed out, its worker was lost, it
/// was never scheduled). The merged JUnit lists it as an error so CI reporters do not show a green
/// run that silently lost tests.
public struct JUnitNotRun: Sendable, Hashable, Codable {
    /// The file, relative to the suite root.
    public var file: String
    /// Short reason: `timeout`, `lost worker`, `never scheduled`.
    public var reason: String
    /// Longer text: the last output lines before the shard ended, for example.
    public var details: String

    public init(file: String, reason: String, details: String = "") {
        self.file = file
        self.reason = reason
        self.details = details
    }
}
