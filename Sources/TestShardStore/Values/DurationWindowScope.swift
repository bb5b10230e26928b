/// Which duration windows to load in one go.
public enum DurationWindowScope: Sendable, Hashable {
    /// Windows of whole files only (what file-level planning needs).
    case files
    /// Windows of single tests only.
    case tests
    /// Every window.
    case all
}
