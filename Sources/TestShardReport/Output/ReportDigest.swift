/// What a later run compares with from a stored report: its file counts, cluster ids and file
/// paths. Decoding only these skips building everything else a report holds: for a 5000-file,
/// 15,000-test report, the whole decode was 0.1 s of the time between the last shard and the
/// next report.
public struct ReportDigest: Decodable, Sendable, Hashable {
    public var schema: String
    public var fileCounts: FileCounts
    public var clusterIds: [String]
    public var files: [String]

    public init(schema: String, fileCounts: FileCounts, clusterIds: [String], files: [String]) {
        self.schema = schema
        self.fileCounts = fileCounts
        self.clusterIds = clusterIds
        self.files = files
    }

    /// The digest of a report in memory, the same as decoding its JSON would give.
    public init(_ report: GardenerReport) {
        self.init(
            schema: report.schema,
            fileCounts: report.summary.files,
            clusterIds: report.clusters.map(\.id),
            files: report.files.map(\.path)
        )
    }

    private enum CodingKeys: String, CodingKey {
        case schema, summary, clusters, files
    }

    private struct Summary: Decodable {
        var files: FileCounts
    }

    private struct Cluster: Decodable {
        var id: String
    }

    private struct File: Decodable {
        var path: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schema = try container.decode(String.self, forKey: .schema)
        fileCounts = try container.decode(Summary.self, forKey: .summary).files
        clusterIds = try container.decode([Cluster].self, forKey: .clusters).map(\.id)
        files = try container.decode([File].self, forKey: .files).map(\.path)
    }
}
