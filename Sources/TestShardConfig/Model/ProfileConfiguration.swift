/// `[profile.NAME]`: extra runner options and environment a run can switch on with `run --profile NAME`.
/// The worker applies it from its own copy of the config; only the name crosses the wire.
public struct ProfileConfiguration: Sendable, Hashable {
    /// The profile's name (the table key), e.g. `no-docker`.
    public var name: String
    /// Extra runner options, one argument each; they go where the command has `{options}` (see
    /// `CommandTemplate`).
    public var options: [String]
    /// Environment variables set for the command, on top of `[suite] env`.
    public var env: [String: String]

    public init(name: String, options: [String] = [], env: [String: String] = [:]) {
        self.name = name
        self.options = options
        self.env = env
    }
}
