/// Worker → coordinator, first message on a connection: who the worker is and what it can do.
///
/// ```json
/// {"type": "hello", "protocol_version": 1, "worker_name": "ci-3", "hostname": "ci-3.lan",
///  "slots": 4, "revision": "9fceb02…", "dirty": false, "runner": "pytest",
///  "software_version": "0.1.0", "pid": 4242}
/// ```
public struct HelloMessage: Hashable, Sendable {
    /// The version the worker speaks; must equal `ProtocolVersion.current`.
    public var protocolVersion: Int
    /// A name unique among the run's workers (defaults to the hostname in the shell); part of the MAC.
    ///
    /// Every text field of `hello` is checked when decoded: at most 200 characters, no control
    /// characters, so shells can log them as they are. Names and hostname must not be empty.
    public var workerName: String
    /// The machine's hostname, for the report.
    public var hostname: String
    /// How many shards the worker runs at once (1…4096).
    public var slots: Int
    /// The git commit of the worker's suite root, or `nil` when it is not a git checkout.
    public var revision: String?
    /// Whether the worker's checkout has uncommitted changes.
    public var dirty: Bool
    /// The runner the worker's config uses (`pytest`), for the report.
    public var runner: String
    /// The worker binary's version.
    public var softwareVersion: String
    /// The worker's process id, for finding it on its host.
    public var pid: Int

    /// The largest `slots` a worker may announce; beyond it something is wrong.
    public static let maximumSlots = 4096

    public init(
        protocolVersion: Int = ProtocolVersion.current,
        workerName: String,
        hostname: String,
        slots: Int,
        revision: String?,
        dirty: Bool,
        runner: String,
        softwareVersion: String,
        pid: Int
    ) {
        self.protocolVersion = protocolVersion
        self.workerName = workerName
        self.hostname = hostname
        self.slots = slots
        self.revision = revision
        self.dirty = dirty
        self.runner = runner
        self.softwareVersion = softwareVersion
        self.pid = pid
    }
}

extension HelloMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol_version"
        case workerName = "worker_name"
        case hostname
        case slots
        case revision
        case dirty
        case runner
        case softwareVersion = "software_version"
        case pid
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .protocolVersion)
        do {
            self.protocolVersion = version
            self.workerName = try container.decodeIdentifier(forKey: .workerName)
            self.hostname = try container.decodeIdentifier(forKey: .hostname)
            self.slots = try container.decodeInt(forKey: .slots, in: 1...Self.maximumSlots)
            self.revision = try container.decodeLabelIfPresent(forKey: .revision)
            self.dirty = try container.decode(Bool.self, forKey: .dirty)
            self.runner = try container.decodeLabel(forKey: .runner)
            self.softwareVersion = try container.decodeLabel(forKey: .softwareVersion)
            self.pid = try container.decode(Int.self, forKey: .pid)
        } catch  where version != ProtocolVersion.current {
            // Another version may well have other fields; say what is really wrong.
            throw ProtocolError.wrongVersion(peer: "worker", theirs: version)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(protocolVersion, forKey: .protocolVersion)
        try container.encode(workerName, forKey: .workerName)
        try container.encode(hostname, forKey: .hostname)
        try container.encode(slots, forKey: .slots)
        try container.encode(revision, forKey: .revision)
        try container.encode(dirty, forKey: .dirty)
        try container.encode(runner, forKey: .runner)
        try container.encode(softwareVersion, forKey: .softwareVersion)
        try container.encode(pid, forKey: .pid)
    }
}
