public import Foundation

/// One of the state machine's timers: when it ends, `tick` may change something.
public struct FailoverTimer: Sendable, Equatable {
    /// Which timer.
    public enum Name: String, Sendable, Codable, Equatable {
        /// A failed step's retry back-off.
        case retry
        /// Resolvers forgetting the standby during failback.
        case drain
        /// A switchover: caches taking the lowered TTL before DNS moves.
        case ttlWait = "ttl-wait"
        /// A drill's standby serving for `drill_hold` before the drill fails back.
        case drillHold = "drill-hold"
        /// The primary up for `holddown` before failback.
        case holddown
        /// One automatic failover per `min_failover_interval`.
        case antiFlap = "anti-flap"
        /// The next confirmation round after one that did not confirm.
        case confirmation
        /// The next scheduled refresh of a dump-refreshed standby.
        case refresh
        /// The running refresh's timeout (it is ended then; a failover waits at most until then).
        case refreshTimeout = "refresh-timeout"
        /// The standby's data passing `max_lag` (told once).
        case dataStale = "data-stale"
    }

    /// Which timer.
    public var name: Name
    /// When it ends.
    public var until: Date
    /// Whether its end can start or change a transition now (the owner ticks at these);
    /// the others are shown only (anti-flap while the primary is up).
    public var actionable: Bool

    /// Creates a timer.
    public init(name: Name, until: Date, actionable: Bool) {
        self.name = name
        self.until = until
        self.actionable = actionable
    }
}

extension FailoverStateMachine {
    /// The running timers at `now` — the one source for `nextDeadline()` and the status's countdowns.
    public func timers(now: Date) -> [FailoverTimer] {
        var timers: [FailoverTimer] = []
        switch sequence?.status {
        case .waitingRetry(let until): timers.append(FailoverTimer(name: .retry, until: until, actionable: true))
        case .draining(let until):
            // A drain whose time is up but waits for the propagation watch wakes nobody: the watch's end does.
            timers.append(FailoverTimer(name: sequence?.step == .ttlWait ? .ttlWait : .drain, until: until, actionable: !drainAwaitingPropagation))
        default: break
        }
        // A drill's standby fails back after drill_hold, not holddown (`drillFailback`).
        if phase == .standbyActive, primary == .up, servingTrigger != .drill, let since = primaryUpSince {
            timers.append(FailoverTimer(name: .holddown, until: since.adding(policy.holddown), actionable: true))
        }
        if phase == .standbyActive, servingTrigger == .drill, primary == .up {
            timers.append(FailoverTimer(name: .drillHold, until: phaseSince.adding(policy.drillHold), actionable: true))
        }
        let holdingFailover = phase == .primaryActive && sequence == nil && primary == .down
        if let last = lastAutomaticFailover, last.adding(policy.minFailoverInterval) > now || holdingFailover {
            timers.append(FailoverTimer(name: .antiFlap, until: last.adding(policy.minFailoverInterval), actionable: holdingFailover))
        }
        if holdingFailover, confirming == nil, let last = lastUnconfirmed {
            timers.append(FailoverTimer(name: .confirmation, until: last.adding(policy.confirmationRetry), actionable: true))
        }
        return timers + refreshTimers()
    }
}
