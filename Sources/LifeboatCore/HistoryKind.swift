/// The kind of a history line (`/api/v1/history`, `lifeboat history`).
public enum HistoryKind: String, Sendable, Codable, CaseIterable {
    /// A phase change.
    case phase
    /// A step started or finished.
    case step
    /// A sequence started, stopped, finished or served degraded.
    case sequence
    /// An operator command carried out or refused.
    case command
    /// Paused or resumed.
    case pause
    /// A maintenance action outside a sequence.
    case maintenance
    /// A dump-refreshed standby's refresh: swapped, asked for, postponed.
    case refresh
    /// The propagation watch: a resolver or secondary took the new addresses or serial (or did not).
    case propagation
}
