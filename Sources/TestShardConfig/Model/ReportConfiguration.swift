/// `[report]`: knobs the gardener report reads.
public struct ReportConfiguration: Sendable, Hashable {
    /// Project masks for error-signature normalization (report-anchors §7 step 14): each has exactly one
    /// capture group, whose match is replaced by `<*>`.
    public var masks: [ConfiguredRegex]
    /// How many recent comparable runs the flakiness score looks at (`flaky_window`, default 30).
    public var flakyWindow: Int

    /// The values used when `[report]` is absent.
    public static let defaults = ReportConfiguration(masks: [], flakyWindow: 30)

    public init(masks: [ConfiguredRegex] = [], flakyWindow: Int = 30) {
        self.masks = masks
        self.flakyWindow = flakyWindow
    }
}
