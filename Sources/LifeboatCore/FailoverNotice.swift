

/// Something an operator should hear about.
public struct FailoverNotice: Sendable, Equatable {
    /// What kind of news.
    public enum Kind: String, Sendable, Equatable {
        case stateChanged = "state_changed"
        case stepFailed = "step_failed"
        case sequenceStopped = "sequence_stopped"
        case blocked
        /// The read-only preflight started failing, or passes again.
        case preflight
        /// Lifeboat's own host could not run a check (file descriptors, memory, disk).
        case local
        /// In a cluster: this site stopped acting (leadership or etcd lost), or coordination was lost or regained.
        case coordination
        /// A dump-refreshed standby's refresh started, was done or postponed.
        case refresh
        /// A refresh failed (the old data stays), or the standby's data is older than `max_lag`: an alert.
        case refreshProblem = "refresh_problem"
    }
    /// A short kind.
    public var kind: Kind
    /// The phase.
    public var phase: FailoverPhase
    /// The library's or the check's own words.
    public var message: String

    /// Creates a notice.
    public init(kind: Kind, phase: FailoverPhase, message: String) {
        self.kind = kind
        self.phase = phase
        self.message = message
    }
}
