import Foundation

/// The JSON form of the report (`report.json`): sorted keys, so the same report always gives the
/// same bytes, and a stored report decodes to an equal value (and so re-renders identically).
public enum ReportJSON {
    /// Pretty-printed, keys sorted, slashes unescaped.
    public static func encode(_ report: GardenerReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Inputs are sanitized, but a stray infinity must never cost the run its report.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity",
            negativeInfinity: "-Infinity",
            nan: "NaN"
        )
        return try encoder.encode(report)
    }

    /// Reads a stored report. Throws when the data is not a `testshard-report/1` document.
    public static func decode(_ data: Data) throws -> GardenerReport {
        let report = try decoder().decode(GardenerReport.self, from: data)
        try requireSchema(report.schema)
        return report
    }

    /// Reads only a stored report's ``ReportDigest``, under the same rules as ``decode(_:)``.
    public static func decodeDigest(_ data: Data) throws -> ReportDigest {
        let digest = try decoder().decode(ReportDigest.self, from: data)
        try requireSchema(digest.schema)
        return digest
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity",
            negativeInfinity: "-Infinity",
            nan: "NaN"
        )
        return decoder
    }

    private static func requireSchema(_ schema: String) throws {
        guard schema == GardenerReport.schemaVersion else {
            throw ReportInputError(
                code: .unsupportedSchema,
                message:
                    "report schema \"\(schema)\" is not \(GardenerReport.schemaVersion); re-render it with the TestShard version that wrote it"
            )
        }
    }
}
