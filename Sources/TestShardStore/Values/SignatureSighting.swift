/// One failure signature as a run saw it, for ``HistoryStore/recordSignaturesSeen(runID:at:_:)``.
public struct SignatureSighting: Sendable, Hashable, Codable {
    /// The error-signature id (`reason-v1:…`).
    public var signature: String
    /// The normalized error text the id was made from.
    public var title: String
    /// The files the signature hit in the run.
    public var files: [String]

    public init(signature: String, title: String, files: [String]) {
        self.signature = signature
        self.title = title
        self.files = files
    }
}
