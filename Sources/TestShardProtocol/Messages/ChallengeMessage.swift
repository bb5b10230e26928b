/// Coordinator → worker, the answer to `hello`: a fresh nonce the worker must MAC with the token.
public struct ChallengeMessage: Hashable, Sendable {
    /// The version the coordinator speaks; must equal `ProtocolVersion.current`.
    public var protocolVersion: Int
    /// Base64 of 32 random bytes, new for every connection and used once (see `AuthNonce`).
    public var nonce: String
    /// The run the worker is joining; part of the MAC.
    public var runID: String
    /// The coordinator binary's version.
    public var softwareVersion: String

    public init(
        protocolVersion: Int = ProtocolVersion.current,
        nonce: String,
        runID: String,
        softwareVersion: String
    ) {
        self.protocolVersion = protocolVersion
        self.nonce = nonce
        self.runID = runID
        self.softwareVersion = softwareVersion
    }
}

extension ChallengeMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol_version"
        case nonce
        case runID = "run_id"
        case softwareVersion = "software_version"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .protocolVersion)
        do {
            self.protocolVersion = version
            self.nonce = try container.decode(String.self, forKey: .nonce)
            self.runID = try container.decodeIdentifier(forKey: .runID)
            self.softwareVersion = try container.decodeLabel(forKey: .softwareVersion)
        } catch  where version != ProtocolVersion.current {
            throw ProtocolError.wrongVersion(peer: "coordinator", theirs: version)
        }
    }
}
