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
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity",
            negativeInfinity: "-Infinity",
            nan: "NaN"
        )
        let report = try decoder.decode(GardenerReport.self, from: data)
        guard report.schema == GardenerReport.schemaVersion else {
            throw ReportInputError(
                code: .unsupportedSchema,
                message:
                    "report schema \"\(report.schema)\" is not \(GardenerReport.schemaVersion); re-render it with the TestShard version that wrote it"
            )
        }
        return report
    }
}
