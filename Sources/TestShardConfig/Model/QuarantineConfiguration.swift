import TestShardModel

/// `[[quarantine]]`: a file or test that still runs and is reported, but does not fail the run.
public struct QuarantineConfiguration: Sendable, Hashable {
    /// A file path (every test in it) or a `path::test` node id (that test, its parametrizations
    /// `path::test[...]` and, for a class, its tests `path::Class::...`).
    public var id: String
    /// Why it is quarantined (shown in the report).
    public var reason: String
    /// The first day the entry no longer applies, when given.
    public var expires: CalendarDate?

    public init(id: String, reason: String, expires: CalendarDate? = nil) {
        self.id = id
        self.reason = reason
        self.expires = expires
    }

    /// Whether the entry has run out on `date`: from its `expires` day on it is expired (the report
    /// shows it as such). An entry without `expires` never expires.
    public func isExpired(on date: CalendarDate) -> Bool {
        guard let expires else { return false }
        return date >= expires
    }

    /// Whether the entry covers `testID` (a file path or a `path::test` node id).
    public func covers(_ testID: String) -> Bool {
        guard testID.hasPrefix(id) else { return false }
        let rest = testID.dropFirst(id.count)
        return rest.isEmpty || rest.hasPrefix(WorkItem.separator) || (rest.hasPrefix("[") && id.contains("::"))
    }
}
