

/// Which way a sequence moves the service.
public enum FailoverDirection: String, Sendable, Codable {
    case failover
    case failback
}
