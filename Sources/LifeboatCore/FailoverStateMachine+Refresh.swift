import Foundation

/// `[service.refresh]`: a dump-refreshed standby's refresh is a sequence of its own (one
/// `refresh` step) that runs only while the primary is active and up, never while the standby
/// serves or another sequence runs; one that comes due then is postponed (journaled, shown) and
/// runs once it may. A failover that becomes due meanwhile waits for it: the step ends by itself,
/// at the latest at `timeout`. A refresh that fails leaves the old data (it swaps only a verified
/// copy) and is told, not retried: the service stays PRIMARY_ACTIVE, never ERROR.
extension FailoverStateMachine {
    /// Why a refresh may not start now (shown as "refresh postponed: …"), nil when it may.
    public func refreshBlock() -> String? {
        if dnsSite == .standby || phase == .standbyActive || phase == .failbackReady { return "standby serving" }
        if let sequence {
            if case .halted = sequence.status { return "a \(sequence.direction.rawValue) sequence is stopped in ERROR" }
            return sequence.direction == .refresh ? "a refresh is under way" : "a \(sequence.direction.rawValue) sequence is under way"
        }
        if phase != .primaryActive { return "the service is \(phase)" }
        if !readOnlyApplied.isEmpty {
            // An aborted sequence left them (maybe before its drain): a refresh would replace the
            // purged and locked tables while stale resolvers may still send visitors here.
            return "the standby is still read-only (\(readOnlyApplied.map(\.description).sorted().joined(separator: ", ")) applied by an aborted sequence)"
        }
        if paused { return "paused" }
        if primary != .up { return "primary \(primary) (a failover may be needed, and the dump reads from the primary)" }
        return nil
    }

    /// The refresh's timers: the next scheduled one, the running one's timeout, the data's age passing `max_lag`.
    func refreshTimers() -> [FailoverTimer] {
        guard let policy = policy.refresh else { return [] }
        var timers: [FailoverTimer] = []
        if let due = refresh.nextDue { timers.append(FailoverTimer(name: .refresh, until: due, actionable: true)) }
        if let since = refresh.runningSince, sequence?.step == .refresh {
            timers.append(FailoverTimer(name: .refreshTimeout, until: since.adding(policy.timeout), actionable: false))
        }
        if let asOf = refresh.dataAsOf {
            timers.append(FailoverTimer(name: .dataStale, until: asOf.adding(policy.maxLag), actionable: !refresh.staleTold))
        }
        return timers
    }

    /// Why an unforced failover may not go to this standby's data: older than `max_lag`.
    func staleDataBlock(now: Date) -> String? {
        guard let policy = policy.refresh, let asOf = refresh.dataAsOf, now > asOf.adding(policy.maxLag) else { return nil }
        return "standby data too old: as of \(HumanTime.clock(asOf)), more than max_lag (\(DurationText.format(policy.maxLag))) ago"
    }

    /// Timers that ended: a refresh came due (it waits, runs or is postponed), the data went stale (told once).
    mutating func refreshTimersFired(now: Date) -> [FailoverAction] {
        guard let policy = policy.refresh else { return [] }
        var actions: [FailoverAction] = []
        if let due = refresh.nextDue, now >= due {
            refresh.nextDue = policy.schedule.due(after: now, timeZone: policy.timeZone)
            // One that comes due while a refresh runs is that refresh (as cron with a lock would skip it).
            if refresh.pending == nil, sequence?.direction != .refresh { refresh.pending = "scheduled (\(policy.schedule))" }
        }
        if let asOf = refresh.dataAsOf, !refresh.staleTold, now >= asOf.adding(policy.maxLag) {
            refresh.staleTold = true
            actions.append(.notify(FailoverNotice(kind: .refreshProblem, phase: phase, message:
                "standby data older than max_lag (\(DurationText.format(policy.maxLag))): as of \(HumanTime.clock(asOf))"
                + (refresh.last.map { $0.success ? "" : "; the last refresh FAILED: \($0.message)" } ?? ""))))
        }
        return actions
    }

    /// Starts the waiting refresh when it may run; otherwise journals and tells why it waits (once per reason).
    mutating func runPendingRefresh(now: Date) -> [FailoverAction] {
        guard policy.refresh != nil, let why = refresh.pending else { return [] }
        if let block = refreshBlock() {
            guard refresh.postponed != block else { return [] }
            refresh.postponed = block
            return [
                .journal(JournalRecord(at: now, .refreshPostponed(reason: block))),
                .notify(FailoverNotice(kind: .refresh, phase: phase, message: "refresh postponed: \(block)")),
            ]
        }
        return startRefresh(trigger: why.hasPrefix("scheduled") ? .automatic : .operator, reason: why, now: now)
    }

    private mutating func startRefresh(trigger: SequenceTrigger, reason: String, now: Date) -> [FailoverAction] {
        refresh.pending = nil
        refresh.postponed = nil
        return startSequence(.refresh, trigger: trigger, forced: false, reason: "refresh: \(reason)", now: now)
    }

    /// `lifeboat refresh`: runs now when it may; otherwise waits for its moment, or with `now` is refused.
    mutating func refreshCommand(_ command: OperatorCommand, now: Date) -> [FailoverAction] {
        guard policy.refresh != nil else { return refuse(command, "no [service.refresh]: this standby is not refreshed by Lifeboat", now: now) }
        let reason = "asked for by \(command.by)" + (command.reason.isEmpty ? "" : ": \(command.reason)")
        if sequence?.direction == .refresh { return refuse(command, "refresh refused: a refresh is already under way", now: now) }
        guard let block = refreshBlock() else {
            return startRefresh(trigger: .operator, reason: reason, now: now) + [.reply(CommandReply(accepted: true, message: "refresh started"))]
        }
        if command.now { return refuse(command, "refresh refused: \(block); without --now it waits until it may run", now: now) }
        refresh.pending = reason
        refresh.postponed = block
        return [
            .journal(JournalRecord(at: now, .refreshRequested(by: command.by, reason: command.reason))),
            .journal(JournalRecord(at: now, .refreshPostponed(reason: block))),
            .reply(CommandReply(accepted: true, message: "refresh queued; postponed: \(block); it runs once it may")),
        ]
    }

    /// A refresh step begins (its own sequence's, or failback's resync).
    mutating func refreshStepBegins(now: Date) {
        refresh.runningSince = now
        refresh.swap = nil
        refresh.pending = nil
        refresh.postponed = nil
    }

    /// A refresh step ended: the outcome recorded; on success the data is as of its start.
    mutating func refreshStepEnded(success: Bool, message: String, swap: RefreshSwap?, now: Date) {
        let started = refresh.runningSince ?? now
        refresh.last = RefreshOutcome(started: started, finished: now, success: success, message: message, swap: success ? swap ?? refresh.swap : nil)
        if success {
            refresh.dataAsOf = started
            refresh.staleTold = false
        }
        refresh.runningSince = nil
        refresh.swap = nil
    }

    /// What a refresh step's end tells people.
    func refreshNotice(success: Bool, message: String) -> FailoverAction {
        let text = success
            ? "refresh done: \(message)"
            : "refresh FAILED: \(message); the standby keeps its data\(refresh.dataAsOf.map { " as of \(HumanTime.clock($0))" } ?? "")"
        return .notify(FailoverNotice(kind: success ? .refresh : .refreshProblem, phase: phase, message: text))
    }

    /// The schedule's first due instant after a restart or start: after the last refresh's start, else after `now`.
    mutating func scheduleRefresh(lastStart: Date?, now: Date) {
        guard let policy = policy.refresh else { return }
        refresh.nextDue = policy.schedule.due(after: lastStart ?? now, timeZone: policy.timeZone)
    }
}
