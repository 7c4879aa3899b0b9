

/// Which way a sequence moves the service.
public enum FailoverDirection: String, Sendable, Codable {
    case failover
    case failback
    /// A dump-refreshed standby's refresh (`[service.refresh]`), run while the primary is active.
    case refresh
}
