import DomainNames

/// `failback`: who decides that the primary takes over again.
public enum FailbackMode: String, Sendable, Equatable {
    /// Wait for `lifeboat failback` (the default).
    case manual
    /// Fail back by itself once the primary has been up for `holddown`.
    case auto
}
