

/// What an operator asks of a service.
public enum OperatorCommandKind: String, Sendable, Codable, CaseIterable {
    /// Fail over now.
    case promote
    /// Fail back now (`demote` is the CLI's alias).
    case failback
    /// No automatic transitions; probes and DNS go on.
    case pause
    /// Automatic transitions again.
    case resume
    /// Run the failed step of a stopped sequence again.
    case retry
    /// Give up a stopped sequence; the service stays where its DNS points.
    case abort
    /// Refresh a dump-refreshed standby: now (`now`), or as soon as it may run.
    case refresh
    /// A planned switchover: lower the TTL, wait the old one out, then fail over.
    case switchover
    /// A drill: a full failover and failback while the primary is healthy.
    case drill
}
