/// The timings and limits a service's state machine applies (from `[[service]]`).
public struct FailoverPolicy: Sendable, Equatable {
    /// `failback = "auto"`: fail back without an operator once the primary is up for `holddown`.
    public var automaticFailback: Bool
    /// How long the primary must be up before failback.
    public var holddown: Duration
    /// At most one automatic failover per this.
    public var minFailoverInterval: Duration
    /// How long the standby stays read-only after DNS is back: TTL + `drain_grace`.
    public var drain: Duration
    /// Tries of a failing step before the sequence stops in `ERROR`.
    public var stepRetries: Int
    /// The first retry's delay; each further one doubles, up to 30 s.
    public var retryBackoff: Duration
    /// After a confirmation round that did not confirm, the next waits this long (the check interval).
    public var confirmationRetry: Duration
    /// `readonly.on_failure = "serve"`: a failover stopped by a read-only step still moves DNS to
    /// the standby while the primary is down (replication must have been stopped). Default halt.
    public var serveOnFailure: Bool
    /// `[service.refresh]`: the standby is refreshed from dumps on this schedule (nil: it is not).
    public var refresh: RefreshPolicy?
    /// A switchover's wait after lowering the TTL: the old TTL + `drain_grace`; nil when
    /// `switchover_ttl` is not below the TTL (nothing to lower).
    public var ttlWait: Duration?
    /// How long a drill's standby serves before the drill fails back (`drill_hold`), so visitors'
    /// resolvers can be seen reaching it.
    public var drillHold: Duration = .seconds(60)
    /// Failback's drain also waits for the propagation watch of its DNS switch to end (every
    /// watched resolver and secondary answers the primary, or `propagation_timeout`) before
    /// read-only is lifted: resolvers that hold answers past their TTL still send visitors to the
    /// standby. Set when resolvers or secondaries are watched (`drain_waits_for_propagation`).
    public var drainAwaitsPropagation = false

    /// Creates a policy.
    public init(
        automaticFailback: Bool, holddown: Duration, minFailoverInterval: Duration, drain: Duration,
        stepRetries: Int, retryBackoff: Duration = .seconds(1), confirmationRetry: Duration = .seconds(1),
        serveOnFailure: Bool = false, refresh: RefreshPolicy? = nil, ttlWait: Duration? = nil
    ) {
        self.ttlWait = ttlWait
        self.refresh = refresh
        self.serveOnFailure = serveOnFailure
        self.confirmationRetry = confirmationRetry
        self.automaticFailback = automaticFailback
        self.holddown = holddown
        self.minFailoverInterval = minFailoverInterval
        self.drain = drain
        self.stepRetries = max(1, stepRetries)
        self.retryBackoff = retryBackoff
    }

    /// The delay before try `attempt + 1` after try `attempt` failed.
    func backoff(afterAttempt attempt: Int) -> Duration {
        min(retryBackoff * (1 << min(attempt - 1, 16)), .seconds(30))
    }
}
