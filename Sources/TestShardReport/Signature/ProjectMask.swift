import Foundation

/// A suite's own normalization mask (report-anchors §7, step 14 and the hex caveat).
///
/// | pattern                          | kind       | effect                                           |
/// |----------------------------------|------------|--------------------------------------------------|
/// | exactly one capture group        | `capture`  | step 14: the group becomes `<*>`                 |
/// | no capture group                 | `hexToken` | joins step 8: each match becomes `<HEX#>`, numbered with the other hex tokens |
///
/// `(?<=_)[0-9a-f]{8,}\b` is the second kind: it masks container-name suffixes such as
/// `pg_7f3a9c2e1b0d`, which the plain hex rule leaves alone because `_` and a digit are both word
/// characters (no `\b` between them).
public struct ProjectMask: Sendable, Hashable, CustomStringConvertible {
    /// Where in the pipeline the mask applies.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Step 14: the single capture group is replaced by `<*>`.
        case capture
        /// Step 8: every match is an extra hex token (`<HEX#>`).
        case hexToken = "hex_token"
    }

    public let pattern: String
    public let kind: Kind
    let regex: NSRegularExpression

    /// Compiles `pattern`; its capture-group count picks the kind (0 → `hexToken`, 1 → `capture`).
    public init(_ pattern: String) throws(ReportInputError) {
        guard let regex = try? NSRegularExpression(pattern: pattern) else {
            throw ReportInputError(
                code: .badMask,
                message: "mask \"\(pattern)\" is not a valid regular expression; fix it or remove it from masks"
            )
        }
        switch regex.numberOfCaptureGroups {
        case 0: kind = .hexToken
        case 1: kind = .capture
        default:
            throw ReportInputError(
                code: .badMask,
                message:
                    "mask \"\(pattern)\" has \(regex.numberOfCaptureGroups) capture groups; use one group around the part to mask (or none to mask the whole match as a hex token), and (?:…) for the rest"
            )
        }
        self.pattern = pattern
        self.regex = regex
    }

    public var description: String { pattern }

    public static func == (lhs: ProjectMask, rhs: ProjectMask) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}
