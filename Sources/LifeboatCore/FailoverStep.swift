/// One step of a failover or failback sequence. Every step is idempotent, so a sequence
/// interrupted by a crash resumes by running its first unfinished step again.
public enum FailoverStep: Sendable, Codable, Hashable, CustomStringConvertible {
    /// Stop the standby's replication so the primary's state stays as it was.
    case stopReplication
    /// `read_only = OFF` on the standby database (verified), once replication is stopped.
    case databaseWritable
    /// `read_only = ON` on the standby database (verified), before it replicates again.
    case databaseReadOnly
    /// Apply (and verify) the named read-only step on the standby.
    case applyReadOnly(ReadOnlyStepID)
    /// Revert (and verify) the named read-only step on the standby.
    case revertReadOnly(ReadOnlyStepID)
    /// Point the service's DNS owners at a site: serial + 1, NOTIFY. To the standby during a
    /// switchover with the lowered TTL; to the primary always with the configured TTL.
    case switchDNS(SiteRole)
    /// A switchover's first step: the owners keep their addresses with TTL `switchover_ttl`
    /// (serial + 1, NOTIFY).
    case lowerTTL
    /// A switchover waits until every cache holds the short TTL: the old TTL + `drain_grace`. A timer.
    case ttlWait
    /// Undoes `lowerTTL` when a switchover is aborted before DNS moved: the configured TTL again.
    case restoreTTL
    /// Wait for resolvers to forget the standby: TTL + `drain_grace`. A timer of the state machine.
    case drain
    /// Run the `resync` command hook: re-clone the standby from the primary.
    case resync
    /// `[service.refresh]`: load a fresh copy into a scratch database, verify it, and swap it in
    /// atomically (`RENAME TABLE`). Only while DNS points at the primary.
    case refresh
    /// Start the standby's replication again.
    case startReplication
    /// Wait until the standby replicates again (IO and SQL threads running, lag within `max_lag`).
    case verifyReplication

    public var description: String {
        switch self {
        case .stopReplication: "stop-replication"
        case .databaseWritable: "database-writable"
        case .databaseReadOnly: "database-read-only"
        case .applyReadOnly(let name): "readonly-apply:\(name)"
        case .revertReadOnly(let name): "readonly-revert:\(name)"
        case .switchDNS(let site): "dns:\(site.rawValue)"
        case .lowerTTL: "dns-ttl:lower"
        case .ttlWait: "ttl-wait"
        case .restoreTTL: "dns-ttl:restore"
        case .drain: "drain"
        case .resync: "resync"
        case .refresh: "refresh"
        case .startReplication: "start-replication"
        case .verifyReplication: "verify-replication"
        }
    }
}

/// The steps of both sequences of one service, in DESIGN.md's order.
public struct StepPlan: Sendable, Equatable {
    /// The read-only steps' names, in apply order.
    public let readOnlySteps: [ReadOnlyStepID]
    /// Failover: stop replication, apply read-only, then DNS to the standby.
    public let failover: [FailoverStep]
    /// Failback: DNS to the primary, drain, revert read-only (reverse order), resync (or the
    /// refresh, for a dump-refreshed standby), replication.
    public let failback: [FailoverStep]
    /// A dump-refreshed standby's refresh on its own (`[service.refresh]`); empty without one.
    public let refresh: [FailoverStep]

    /// Builds both sequences. `replication`: the standby replicates from the primary (stop it on
    /// failover, start and verify it on failback); `resync`: a resync command is configured;
    /// `replicaReadOnly`: the replica is kept `read_only` while it replicates (writable after
    /// stop-replication, read-only again before start-replication); `refresh`: the standby is
    /// refreshed from dumps (`[service.refresh]`), which is also failback's resync.
    public init(readOnlySteps: [ReadOnlyStepID], replication: Bool, resync: Bool, replicaReadOnly: Bool = false, refresh: Bool = false) {
        self.readOnlySteps = readOnlySteps
        let readOnlyReplica = replication && replicaReadOnly
        failover = (replication ? [.stopReplication] : []) + (readOnlyReplica ? [.databaseWritable] : [])
            + readOnlySteps.map { .applyReadOnly($0) } + [.switchDNS(.standby)]
        failback = [.switchDNS(.primary), .drain] + readOnlySteps.reversed().map { .revertReadOnly($0) }
            + (refresh ? [.refresh] : resync ? [.resync] : []) + (readOnlyReplica ? [.databaseReadOnly] : [])
            + (replication ? [.startReplication, .verifyReplication] : [])
        self.refresh = refresh ? [.refresh] : []
    }

    /// A planned switchover's failover: the TTL lowered and waited out first (when the service
    /// has a TTL to lower), then the failover's steps.
    public func switchover(lowersTTL: Bool) -> [FailoverStep] {
        (lowersTTL ? [.lowerTTL, .ttlWait] : []) + failover
    }

    /// The steps of one direction.
    public func steps(_ direction: FailoverDirection) -> [FailoverStep] {
        switch direction {
        case .failover: failover
        case .failback: failback
        case .refresh: refresh
        }
    }
}
