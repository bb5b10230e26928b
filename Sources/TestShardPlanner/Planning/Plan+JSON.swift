import Foundation

extension Plan {
    /// The plan as the `plan --json` contract (keys sorted, so equal plans give equal bytes).
    /// Throws only if a figure is not finite, which the planner never produces.
    public func jsonData(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a plan written by `jsonData` (or any JSON with the contract's keys).
    public init(jsonData: Data) throws {
        self = try JSONDecoder().decode(Plan.self, from: jsonData)
    }
}
