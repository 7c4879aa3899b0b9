/// What Lifeboat believes about one check, a site or the witnesses.
public enum HealthState: String, Sendable, Equatable, Codable, CustomStringConvertible {
    /// Not enough results yet to say.
    case unknown
    case up
    case down

    public var description: String { rawValue }
}

/// Why a check run failed: a fixed set, usable as a metric label.
public enum FailureReason: String, Sendable, Equatable, Codable, CaseIterable {
    case refused
    case timeout
    case tls
    case connection
    case `protocol`
    case httpStatus = "http_status"
    case bodyMismatch = "body_mismatch"
    case auth
    case query
    case noRows = "no_rows"
    case replicationStopped = "replication_stopped"
    case lagExceeded = "lag_exceeded"
    case lagUnknown = "lag_unknown"
    case secret
    /// A replica that should be read-only is writable: a write on it would break replication.
    case standbyWritable = "standby_writable"
    /// Lifeboat's own host could not run the check (file descriptors, memory, disk, a thread
    /// pool that is gone): counts as unknown, never as the site being down.
    case local
}
