

/// Where a service stands in DESIGN.md's failover state machine.
public enum FailoverPhase: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// DNS points at the primary; the standby follows it.
    case primaryActive = "PRIMARY_ACTIVE"
    /// The failover sequence runs: replication stopped, read-only applied, DNS moved.
    case failingOver = "FAILING_OVER"
    /// DNS points at the standby, which is in read-only mode.
    case standbyActive = "STANDBY_ACTIVE"
    /// The primary has been up for `holddown`: failback may start.
    case failbackReady = "FAILBACK_READY"
    /// The failback sequence runs: DNS back, drain, read-only lifted, resync.
    case failingBack = "FAILING_BACK"
    /// A step failed `step_retries` times: the sequence waits for `retry` or `abort`.
    case error = "ERROR"

    public var description: String { rawValue }
}
