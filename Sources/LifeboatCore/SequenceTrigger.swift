

/// What started a sequence.
public enum SequenceTrigger: String, Sendable, Codable {
    /// The health of the sites (gates passed).
    case automatic
    /// An operator's `promote` or `failback`.
    case `operator`
    /// An operator's planned `switchover` (its failover; failback waits for `lifeboat failback`).
    case switchover
    /// A `drill`: failover, then failback at once while the primary stays up.
    case drill
}
