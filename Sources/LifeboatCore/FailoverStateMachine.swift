public import Foundation

/// DESIGN.md's failover state machine for one service (DESIGN.md): health, witness state, operator
/// commands, step results and time in; journal records, steps to run, notices and replies out.
/// Pure: no I/O, no clock of its own (`now` is passed in), so every rule is unit-tested.
///
/// Safety rules it keeps: DNS moves to the standby only after every read-only step has been
/// applied and verified; read-only is lifted only after DNS is back and the drain has finished;
/// no automatic failover to a standby that is not up, while isolated, while paused, or sooner
/// than `min_failover_interval` after the last one; operators pass the same gates unless forced.
public struct FailoverStateMachine: Sendable {
    /// The steps of both sequences.
    public let plan: StepPlan
    /// The timings and limits.
    public let policy: FailoverPolicy

    /// The phase.
    public internal(set) var phase: FailoverPhase = .primaryActive
    /// When the phase began.
    public internal(set) var phaseSince: Date
    /// Why the service is in this phase.
    public internal(set) var phaseReason = "started"
    /// No automatic transitions while paused.
    public internal(set) var paused = false
    /// The site the service's DNS records point at.
    public internal(set) var dnsSite: SiteRole = .primary
    /// The read-only steps currently applied on the standby.
    public internal(set) var readOnlyApplied: Set<ReadOnlyStepID> = []
    /// A switchover lowered the owners' TTL (`dns-ttl:lower`); failback's `dns:primary` or an
    /// abort's `dns-ttl:restore` brings the configured one back.
    public internal(set) var ttlLowered = false
    /// What started the failover that put DNS at the standby (a drill fails back at once; after a
    /// switchover failback waits for an operator); nil while DNS points at the primary.
    public internal(set) var servingTrigger: SequenceTrigger?
    /// The serial whose propagation watch last ended (`propagationSettled`).
    public internal(set) var settledSerial: UInt32?
    /// The drain's time is up, but it waits for the propagation watch (`drainAwaitsPropagation`).
    public internal(set) var drainAwaitingPropagation = false
    /// The zone serial the last DNS step produced.
    public internal(set) var serial: UInt32?
    /// The sequence under way or stopped, if any.
    public internal(set) var sequence: SequenceProgress?
    /// When the last completed automatic failover began (anti-flap). One that stopped in ERROR
    /// does not count: once its cause is fixed (and it is aborted), the next may start at once.
    public internal(set) var lastAutomaticFailover: Date?
    /// What holds back the next automatic transition, if anything does.
    public internal(set) var waiting: String?

    /// The primary site's health.
    public internal(set) var primary: HealthState = .unknown
    /// Why the primary is in its state.
    public internal(set) var primaryDetail = "no results yet"
    /// Since when the primary has been up (holddown).
    public internal(set) var primaryUpSince: Date?
    /// The standby site's health.
    public internal(set) var standby: HealthState = .unknown
    /// Why the standby is in its state.
    public internal(set) var standbyDetail = "no results yet"
    /// Whether every witness is down.
    public internal(set) var isolated = false
    /// Why the read-only steps could not run now (the preflight's summary), if they could not.
    public internal(set) var preflightProblem: String?
    /// An `abort` that waits for the running step to end (it was asked to stop).
    public internal(set) var pendingAbort: OperatorCommand?
    /// `[service.refresh]`: the schedule, the waiting refresh, the last one and the data's age.
    public internal(set) var refresh = RefreshState()
    /// The confirmation round awaited before an automatic failover, if one is.
    public internal(set) var confirming: Int?
    /// When the last round that did not confirm ended (the next waits `confirmationRetry`).
    public internal(set) var lastUnconfirmed: Date?
    var nextConfirmationRound = 1
    var nextSequenceID = 1

    /// A machine in `PRIMARY_ACTIVE` with nothing known yet.
    public init(plan: StepPlan, policy: FailoverPolicy, now: Date) {
        self.plan = plan
        self.policy = policy
        self.phaseSince = now
        scheduleRefresh(lastStart: nil, now: now)
    }

    /// Whether every read-only step is applied on the standby.
    public var readOnlyComplete: Bool { readOnlyApplied.isSuperset(of: plan.readOnlySteps) }

    /// Handles one event at `now`; returns the actions to carry out, in order.
    public mutating func handle(_ event: FailoverEvent, now: Date) -> [FailoverAction] {
        var actions: [FailoverAction] = []
        switch event {
        case .site(let site, let state, let detail):
            record(site: site, state: state, detail: detail, now: now)
        case .isolated(let value):
            isolated = value
        case .preflight(let problem):
            if problem != preflightProblem {
                actions.append(.notify(FailoverNotice(
                    kind: .preflight, phase: phase,
                    message: problem ?? "preflight ok again: every read-only step can run")))
            }
            preflightProblem = problem
        case .command(let command):
            actions += handle(command, now: now)
        case .stepSucceeded(let index, let detail, let serial, let swap):
            actions += stepSucceeded(index: index, detail: detail, serial: serial, swap: swap, now: now)
        case .stepFailed(let index, let message):
            actions += stepFailed(index: index, message: message, now: now)
        case .tick:
            actions += timersFired(now: now)
        case .propagationSettled(let settled):
            settledSerial = settled
            actions += timersFired(now: now)
        case .confirmation(let round, let primaryFailing, let witnessUp, let detail, let heldBy):
            actions += confirmed(round: round, primaryFailing: primaryFailing, witnessUp: witnessUp, detail: detail, heldBy: heldBy, now: now)
            return actions
        }
        actions += evaluate(now: now)
        return actions
    }

    /// The next instant at which `tick` may change something (retry, drain, holddown, anti-flap).
    public func nextDeadline() -> Date? {
        // Only the timers whose end matters at all: the time passed in does not affect which those are.
        timers(now: .distantPast).filter(\.actionable).map(\.until).min()
    }

    // MARK: - Health

    private mutating func record(site: SiteRole, state: HealthState, detail: String, now: Date) {
        switch site {
        case .primary:
            if state == .up, primary != .up { primaryUpSince = now }
            if state != .up { primaryUpSince = nil }
            primary = state
            primaryDetail = detail
        case .standby:
            standby = state
            standbyDetail = detail
        }
    }

    // MARK: - Automatic transitions

    /// Why an automatic failover may not start now, or nil when every gate passes.
    func automaticFailoverBlock(now: Date) -> String? {
        if paused { return "paused: no automatic failover" }
        if let block = failoverGate(now: now) { return block }
        if let last = lastAutomaticFailover, now < last.adding(policy.minFailoverInterval) {
            return "anti-flap: one automatic failover per min_failover_interval; next allowed when the anti-flap timer ends"
        }
        return nil
    }

    /// The gates both an automatic failover and an unforced `promote` pass: isolation, standby,
    /// a dump-refreshed standby's data within `max_lag`, and a preflight that says the read-only
    /// steps can run.
    func failoverGate(now: Date) -> String? {
        if isolated { return "isolated: every witness is down, so Lifeboat may be the one cut off" }
        if standby != .up { return "standby not ready (\(standby)): \(standbyDetail)" }
        if let stale = staleDataBlock(now: now) { return stale }
        if let preflightProblem { return "\(preflightProblem); fix it, or `lifeboat promote --force`" }
        return nil
    }

    mutating func evaluate(now: Date) -> [FailoverAction] {
        var actions: [FailoverAction] = []
        switch phase {
        case .primaryActive where sequence == nil:
            guard primary == .down else {
                waiting = nil
                confirming = nil
                lastUnconfirmed = nil
                break
            }
            if let block = automaticFailoverBlock(now: now) {
                confirming = nil
                actions += setWaiting("primary down (\(primaryDetail)); failover held: \(block)")
            } else if confirming != nil {
                break
            } else if let last = lastUnconfirmed, now < last.adding(policy.confirmationRetry) {
                break
            } else {
                // Fresh evidence first: one round of every failing check and every witness at once.
                confirming = nextConfirmationRound
                nextConfirmationRound += 1
                waiting = "primary down (\(primaryDetail)); confirming: every failing check and every witness run once more, together"
                actions.append(.confirm(round: confirming!))
            }
        case .primaryActive where sequence?.direction == .refresh && primary == .down:
            // A refresh replaces the standby's data: the failover waits for it to end.
            let limit = policy.refresh.map { " (at the latest when its timeout, \(DurationText.format($0.timeout)), ends it)" } ?? ""
            actions += setWaiting("primary down (\(primaryDetail)); failover waits for the refresh under way to end\(limit)")
        case .failingOver where primary == .down && sequence?.step == .ttlWait && sequence?.status.isWaiting == true:
            // The primary failed during a switchover's wait: visitors fail now, so the failover goes
            // on at once (the read-only steps still come before DNS moves).
            actions += completeStep(detail: "the primary went down (\(primaryDetail)): the TTL wait ends early", serial: nil, now: now)
        case .standbyActive where servingTrigger == .drill:
            actions += drillFailback(now: now)
        case .standbyActive:
            if primary == .up, let since = primaryUpSince, now >= since.adding(policy.holddown) {
                actions += enter(.failbackReady, reason: "primary up for holddown (\(Int(policy.holddown.timeInterval))s)", now: now)
                actions += evaluate(now: now)
            } else if primary == .up {
                waiting = "holddown: primary up; failback ready when the holddown timer ends"
            } else {
                waiting = "primary \(primary): \(primaryDetail)"
            }
        case .failbackReady:
            if primary != .up {
                actions += enter(.standbyActive, reason: "primary \(primary) again during failback-ready: \(primaryDetail)", now: now)
                waiting = "primary \(primary): \(primaryDetail)"
            } else if servingTrigger == .switchover {
                waiting = "switchover: failback waits for `lifeboat failback`"
            } else if policy.automaticFailback && !paused {
                waiting = nil
                actions += startSequence(.failback, trigger: .automatic, forced: false, reason: "primary up for holddown (failback = auto)", now: now)
            } else {
                waiting = paused ? "paused: failback waits for resume or `lifeboat failback`" : "waiting for `lifeboat failback` (failback = manual)"
            }
        default:
            break
        }
        return actions + runPendingRefresh(now: now)
    }

    /// A confirmation round's result: the failover starts only if, in that same round, the
    /// primary still failed and a witness answered, and every gate still passes.
    private mutating func confirmed(
        round: Int, primaryFailing: Bool, witnessUp: Bool, detail: String, heldBy: String?, now: Date
    ) -> [FailoverAction] {
        guard round == confirming else { return [] }
        confirming = nil
        guard phase == .primaryActive, sequence == nil, primary == .down else { return evaluate(now: now) }
        if let block = automaticFailoverBlock(now: now) {
            return setWaiting("primary down (\(primaryDetail)); failover held: \(block)")
        }
        if let heldBy {
            // The sites do not agree (or this instance may not act): try again after the retry.
            lastUnconfirmed = now
            return setWaiting("primary down (\(primaryDetail)); failover held: \(heldBy)")
        }
        guard primaryFailing, witnessUp else {
            lastUnconfirmed = now
            let why = !primaryFailing
                ? "the primary answered in the confirmation round (\(detail)): a check on its way back up is not \"down\""
                : "no witness answered in the confirmation round (\(detail)): Lifeboat may be the one cut off"
            return setWaiting("primary down (\(primaryDetail)); failover held: \(why)")
        }
        lastUnconfirmed = nil
        waiting = nil
        return startSequence(.failover, trigger: .automatic, forced: false, reason: "primary down: \(primaryDetail) (confirmed: \(detail))", now: now)
    }

    private mutating func setWaiting(_ text: String) -> [FailoverAction] {
        guard waiting != text else { return [] }
        // Countdowns change every second; notify only when more than the numbers changed.
        let changed = waiting?.filter { !$0.isNumber } != text.filter { !$0.isNumber }
        waiting = text
        return changed ? [.notify(FailoverNotice(kind: .blocked, phase: phase, message: text))] : []
    }

    // MARK: - Sequences

    mutating func startSequence(
        _ direction: FailoverDirection, trigger: SequenceTrigger, forced: Bool, reason: String, now: Date,
        steps custom: [FailoverStep]? = nil
    ) -> [FailoverAction] {
        let steps = custom ?? plan.steps(direction)
        let id = nextSequenceID
        nextSequenceID += 1
        sequence = SequenceProgress(
            id: id, direction: direction, steps: steps, trigger: trigger, forced: forced, index: 0, attempt: 1, status: .running,
            startedAt: now)
        var actions: [FailoverAction] = [
            .journal(JournalRecord(at: now, .sequenceStarted(
                id: id, direction: direction, steps: steps, trigger: trigger, forced: forced, reason: reason)))
        ]
        if direction == .refresh {
            // PRIMARY_ACTIVE still: DNS and the standby's role do not change.
            waiting = nil
            actions.append(.notify(FailoverNotice(kind: .refresh, phase: phase, message: "\(reason): started")))
        } else {
            actions += enter(direction == .failover ? .failingOver : .failingBack, reason: reason, now: now)
        }
        actions += beginStep(now: now)
        return actions
    }

    /// Starts `sequence.index` (journaled first); the drain is a timer, every other step an action.
    mutating func beginStep(now: Date) -> [FailoverAction] {
        guard var progress = sequence else { return [] }
        let record = FailoverAction.journal(JournalRecord(at: now, .stepStarted(
            sequence: progress.id, index: progress.index, attempt: progress.attempt)))
        drainAwaitingPropagation = false
        if progress.step == .drain || progress.step == .ttlWait {
            progress.status = .draining(until: now.adding(progress.step == .drain ? policy.drain : policy.ttlWait ?? .zero))
            sequence = progress
            // A drain that waits for the propagation watch makes sure one runs (after a restart,
            // or a rollback's drain, none may).
            if progress.step == .drain, policy.drainAwaitsPropagation, let serial, settledSerial != serial {
                return [record, .watchPropagation(serial: serial)]
            }
            return [record]
        }
        if let violation = safetyViolation(of: progress) {
            progress.status = .halted(reason: violation)
            sequence = progress
            return [record, .journal(JournalRecord(at: now, .sequenceHalted(sequence: progress.id, index: progress.index, reason: violation)))]
                + enter(.error, reason: violation, now: now)
        }
        progress.status = .running
        sequence = progress
        if progress.step == .refresh { refreshStepBegins(now: now) }
        return [record, .runStep(index: progress.index, step: progress.step, direction: progress.direction, attempt: progress.attempt)]
    }

    /// A step that would break the order rules here (it cannot happen with the plan's order; this
    /// stops the sequence instead of trusting that, e.g. after a journal from another config).
    private func safetyViolation(of progress: SequenceProgress) -> String? {
        switch progress.step {
        case .revertReadOnly where dnsSite != .primary:
            return "refusing to lift read-only while DNS points at the \(dnsSite.rawValue)"
        case .switchDNS(.standby) where progress.servingWithout != nil:
            return nil
        case .switchDNS(.standby):
            let needed = progress.steps.compactMap { step -> ReadOnlyStepID? in
                if case .applyReadOnly(let name) = step { return name } else { return nil }
            }
            let missing = needed.filter { !readOnlyApplied.contains($0) }
            return missing.isEmpty ? nil : "refusing to point DNS at the standby: read-only step(s) \(missing.map(\.description).joined(separator: ", ")) not applied"
        default:
            return nil
        }
    }

    private mutating func stepSucceeded(index: Int, detail: String, serial newSerial: UInt32?, swap: RefreshSwap?, now: Date) -> [FailoverAction] {
        guard let progress = sequence, progress.index == index, progress.status == .running else { return [] }
        var actions: [FailoverAction] = []
        if progress.step == .refresh {
            // The swap is what the journal records, before the step's end.
            if let swap { actions.append(.journal(JournalRecord(at: now, .refreshSwapped(sequence: progress.id, swap: swap)))) }
            refreshStepEnded(success: true, message: detail, swap: swap, now: now)
            actions.append(refreshNotice(success: true, message: detail))
        }
        if pendingAbort != nil { return actions + stepEndedForAbort(success: true, message: detail, serial: newSerial, now: now) }
        return actions + completeStep(detail: detail, serial: newSerial, now: now)
    }

    /// The step an `abort` asked to stop has ended (it may have finished anyway): journaled, its
    /// effect counted, then the abort goes on as for a stopped sequence.
    private mutating func stepEndedForAbort(success: Bool, message: String, serial newSerial: UInt32?, now: Date) -> [FailoverAction] {
        guard var progress = sequence, let command = pendingAbort else { return [] }
        pendingAbort = nil
        if success { apply(progress.step, serial: newSerial, trigger: progress.trigger) }
        let actions: [FailoverAction] = [.journal(JournalRecord(at: now, .stepFinished(
            sequence: progress.id, index: progress.index, success: success, message: success ? message : "aborted by \(command.by): \(message)",
            serial: success ? newSerial : nil)))]
        if success, progress.index + 1 < progress.steps.count { progress.index += 1 }
        progress.status = .halted(reason: "aborted by \(command.by)")
        sequence = progress
        return actions + handle(command, now: now).filter { if case .reply = $0 { false } else { true } }
    }

    /// Records the current step's success and moves on (or finishes the sequence).
    private mutating func completeStep(detail: String, serial newSerial: UInt32?, now: Date) -> [FailoverAction] {
        guard var progress = sequence else { return [] }
        apply(progress.step, serial: newSerial, trigger: progress.trigger)
        var actions: [FailoverAction] = [.journal(JournalRecord(at: now, .stepFinished(
            sequence: progress.id, index: progress.index, success: true, message: detail, serial: newSerial)))]
        if progress.index + 1 < progress.steps.count {
            progress.index += 1
            progress.attempt = 1
            sequence = progress
            actions += beginStep(now: now)
            return actions
        }
        sequence = nil
        if let start = progress.antiFlapStart(finishedAt: now) { lastAutomaticFailover = start }
        actions.append(.journal(JournalRecord(at: now, .sequenceFinished(sequence: progress.id))))
        if progress.direction == .refresh { return actions }
        let done: FailoverPhase = progress.direction == .failover ? .standbyActive : .primaryActive
        actions += enter(done, reason: Self.completion(of: progress), now: now)
        return actions
    }

    /// The reason a finished sequence gives its phase.
    static func completion(of progress: SequenceProgress) -> String {
        if let missing = progress.servingWithout {
            return "failover complete WITHOUT read-only step(s) \(missing.map(\.description).joined(separator: ", ")) (on_failure = serve)"
        }
        if progress.direction == .failover {
            switch progress.trigger {
            case .switchover: return "switchover complete: the standby serves until `lifeboat failback`"
            case .drill: return "drill: failover complete, failing back"
            default: return "failover complete"
            }
        }
        if progress.trigger == .drill { return "drill complete: failback done" }
        // A failback-direction sequence without a DNS step is an abort's rollback.
        return progress.steps.contains(.switchDNS(.primary)) ? "failback complete" : "rollback complete: the aborted failover is undone"
    }

    /// What a finished step changed in the world, as the machine tracks it.
    mutating func apply(_ step: FailoverStep, serial newSerial: UInt32?, trigger: SequenceTrigger?) {
        switch step {
        case .applyReadOnly(let name): readOnlyApplied.insert(name)
        case .revertReadOnly(let name): readOnlyApplied.remove(name)
        case .switchDNS(let site):
            dnsSite = site
            servingTrigger = site == .standby ? trigger : nil
            if site == .primary { ttlLowered = false }
            if let newSerial { serial = newSerial }
        case .lowerTTL:
            ttlLowered = true
            if let newSerial { serial = newSerial }
        case .restoreTTL:
            ttlLowered = false
            if let newSerial { serial = newSerial }
        default: break
        }
    }

    private mutating func stepFailed(index: Int, message: String, now: Date) -> [FailoverAction] {
        guard var progress = sequence, progress.index == index, progress.status == .running else { return [] }
        var told: [FailoverAction] = []
        if progress.step == .refresh {
            refreshStepEnded(success: false, message: message, swap: nil, now: now)
            told.append(refreshNotice(success: false, message: message))
        }
        if pendingAbort != nil { return told + stepEndedForAbort(success: false, message: message, serial: nil, now: now) }
        if progress.direction == .refresh {
            // Not retried and never ERROR: the old data stays, the failure is told and shown.
            sequence = nil
            return [
                .journal(JournalRecord(at: now, .stepFinished(sequence: progress.id, index: index, success: false, message: message, serial: nil))),
                .journal(JournalRecord(at: now, .sequenceFinished(sequence: progress.id))),
            ] + told
        }
        var actions: [FailoverAction] = told + [
            .journal(JournalRecord(at: now, .stepFinished(
                sequence: progress.id, index: index, success: false, message: message, serial: nil))),
            .notify(FailoverNotice(
                kind: .stepFailed, phase: phase,
                message: "step \(progress.step) failed (try \(progress.attempt) of \(policy.stepRetries)): \(message)")),
        ]
        if progress.attempt < policy.stepRetries {
            progress.status = .waitingRetry(until: now.adding(policy.backoff(afterAttempt: progress.attempt)))
            progress.attempt += 1
            sequence = progress
            return actions
        }
        let reason = "step \(progress.step) failed \(progress.attempt) times: \(message)"
        progress.status = .halted(reason: reason)
        sequence = progress
        actions.append(.journal(JournalRecord(at: now, .sequenceHalted(sequence: progress.id, index: index, reason: reason))))
        if let missing = serveDespiteFailure(progress) {
            return actions + serveDegraded(progress, missing: missing, now: now)
        }
        actions += enter(.error, reason: reason, now: now)
        actions.append(.notify(FailoverNotice(kind: .sequenceStopped, phase: .error, message: "\(reason); fix it, then `lifeboat retry` or `lifeboat abort`")))
        return actions
    }

    /// `on_failure = "serve"`: when a failover stops at a read-only step with the primary down and
    /// replication already stopped, DNS still moves to the standby — what was not applied is
    /// journaled, notified and shown. Never when replication could not be stopped (the primary's
    /// writes would still arrive), and never while the primary is up (both would take writes).
    private func serveDespiteFailure(_ progress: SequenceProgress) -> [ReadOnlyStepID]? {
        guard policy.serveOnFailure, progress.direction == .failover, primary == .down, dnsSite == .primary,
              case .applyReadOnly = progress.step,
              let dns = progress.steps.firstIndex(of: .switchDNS(.standby)), dns > progress.index else { return nil }
        if let stop = progress.steps.firstIndex(of: .stopReplication), stop >= progress.index { return nil }
        if let writable = progress.steps.firstIndex(of: .databaseWritable), writable >= progress.index { return nil }
        return plan.readOnlySteps.filter { !readOnlyApplied.contains($0) }
    }

    /// Goes on to the DNS step without `missing`, journaled and told first.
    private mutating func serveDegraded(_ progress: SequenceProgress, missing: [ReadOnlyStepID], now: Date) -> [FailoverAction] {
        sequence = progress.servingDegraded(without: missing)
        let text = "on_failure = serve: \(progress.step) failed; DNS goes to the standby WITHOUT read-only step(s) \(missing.map(\.description).joined(separator: ", "))"
        var actions: [FailoverAction] = [.journal(JournalRecord(at: now, .servingDegraded(sequence: progress.id, missing: missing)))]
        actions += enter(.failingOver, reason: text, now: now)
        actions.append(.notify(FailoverNotice(kind: .sequenceStopped, phase: .failingOver, message: text)))
        actions += beginStep(now: now)
        return actions
    }

    private mutating func timersFired(now: Date) -> [FailoverAction] {
        let refreshActions = refreshTimersFired(now: now)
        guard let progress = sequence else { return refreshActions }
        switch progress.status {
        case .waitingRetry(let until) where now >= until:
            return refreshActions + beginStep(now: now)
        case .draining(let until) where now >= until && progress.step == .ttlWait:
            let wait = Int((policy.ttlWait ?? .zero).timeInterval)
            return refreshActions + completeStep(detail: "waited the old TTL out (\(wait)s)", serial: nil, now: now)
        case .draining(let until) where now >= until && policy.drainAwaitsPropagation && serial != nil && settledSerial != serial:
            // Read-only stays until the watched resolvers and secondaries answer the primary.
            drainAwaitingPropagation = true
            return refreshActions + setWaiting("drain: \(Int(policy.drain.timeInterval))s passed; read-only stays until every watched resolver and secondary answers the primary (serial \(serial.map(String.init) ?? "?"); at most propagation_timeout)")
        case .draining(let until) where now >= until:
            let watched = policy.drainAwaitsPropagation ? ", and every watched resolver and secondary answers the primary" : ""
            // The text the wait for the watch set goes with it.
            if drainAwaitingPropagation { waiting = nil }
            drainAwaitingPropagation = false
            return refreshActions + completeStep(detail: "drained \(Int(policy.drain.timeInterval))s\(watched)", serial: nil, now: now)
        default:
            return refreshActions
        }
    }

    mutating func enter(_ next: FailoverPhase, reason: String, now: Date) -> [FailoverAction] {
        guard next != phase || reason != phaseReason else { return [] }
        phase = next
        phaseSince = now
        phaseReason = reason
        return [
            .journal(JournalRecord(at: now, .phaseChanged(next, reason: reason))),
            .notify(FailoverNotice(kind: .stateChanged, phase: next, message: reason)),
        ]
    }
}
