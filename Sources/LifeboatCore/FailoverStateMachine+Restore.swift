public import Foundation

extension FailoverStateMachine {
    /// Rebuilds a machine from its journal after a restart: the phase, pause, anti-flap time,
    /// read-only steps and DNS site as the finished steps left them, and an interrupted sequence
    /// resumed at its first unfinished step (the returned actions run it). A sequence stopped in
    /// ERROR stays stopped. `servedSite`, the site the zone actually serves (it is persisted
    /// separately), wins over the journal when a crash fell between a DNS change and its record;
    /// so does `servedTTLLowered`, whether the owners are served with the switchover's TTL.
    public static func restored(
        from records: [JournalRecord], plan: StepPlan, policy: FailoverPolicy, servedSite: SiteRole?, servedTTLLowered: Bool? = nil,
        now: Date
    ) -> (machine: FailoverStateMachine, actions: [FailoverAction]) {
        var machine = FailoverStateMachine(plan: plan, policy: policy, now: now)
        var sequence: SequenceProgress?
        var reason = records.isEmpty ? "started" : "restored from the journal"
        var lastRefreshStart: Date?
        var lastFailoverTrigger: SequenceTrigger?
        for record in records {
            machine.restoreRefresh(record, sequence: sequence, lastStart: &lastRefreshStart)
            switch record.entry {
            case .sequenceStarted(let id, let direction, let steps, let trigger, let forced, let why):
                if direction == .failover { lastFailoverTrigger = trigger }
                sequence = SequenceProgress(
                    id: id, direction: direction, steps: steps, trigger: trigger, forced: forced, index: 0, attempt: 1, status: .running,
                    startedAt: record.at)
                machine.nextSequenceID = max(machine.nextSequenceID, id + 1)
                reason = why
            case .stepStarted(let id, let index, let attempt) where id == sequence?.id:
                sequence?.index = index
                sequence?.attempt = attempt
                sequence?.status = .running
            case .stepFinished(let id, let index, let success, _, let serial) where id == sequence?.id:
                guard success, let steps = sequence?.steps, index < steps.count else { break }
                machine.apply(steps[index], serial: serial, trigger: sequence?.trigger)
                sequence?.index = index + 1
                sequence?.attempt = 1
            case .sequenceHalted(let id, _, let why) where id == sequence?.id:
                sequence?.status = .halted(reason: why)
            case .servingDegraded(let id, let missing) where id == sequence?.id:
                sequence = sequence?.servingDegraded(without: missing)
            case .sequenceRetried(let id, _, _) where id == sequence?.id:
                sequence?.status = .running
                sequence?.attempt = 1
            case .sequenceFinished(let id) where id == sequence?.id:
                if let start = sequence?.antiFlapStart(finishedAt: record.at) { machine.lastAutomaticFailover = start }
                sequence = nil
            case .drillBecameReal:
                machine.servingTrigger = .automatic
            case .sequenceAborted(let id, _, _) where id == sequence?.id:
                if machine.servingTrigger == .drill { machine.servingTrigger = .operator }
                sequence = nil
            case .phaseChanged(_, let why):
                machine.phaseSince = record.at
                reason = why
            case .paused(let value, _, _):
                machine.paused = value
            default:
                break
            }
        }
        if let servedSite {
            // A crash between a DNS change to the standby and its record: the last failover moved
            // it (a switchover's failback still waits for an operator).
            if servedSite == .standby, machine.dnsSite != .standby { machine.servingTrigger = lastFailoverTrigger ?? .operator }
            machine.dnsSite = servedSite
        }
        if machine.dnsSite == .primary { machine.servingTrigger = nil }
        if let servedTTLLowered { machine.ttlLowered = servedTTLLowered }
        machine.phaseReason = reason
        machine.scheduleRefresh(lastStart: lastRefreshStart, now: now)
        guard var progress = sequence else {
            machine.phase = machine.dnsSite == .standby ? .standbyActive : .primaryActive
            return (machine, [])
        }
        if case .halted(let why) = progress.status {
            machine.phase = .error
            machine.phaseReason = why
            machine.sequence = progress
            return (machine, [])
        }
        machine.phase = switch progress.direction {
        case .failover: .failingOver
        case .failback: .failingBack
        case .refresh: .primaryActive
        }
        guard progress.index < progress.steps.count else {
            // Every step finished but the crash came before the sequence's own record.
            machine.sequence = nil
            if progress.direction == .refresh {
                return (machine, [FailoverAction.journal(JournalRecord(at: now, .sequenceFinished(sequence: progress.id)))])
            }
            let done: FailoverPhase = progress.direction == .failover ? .standbyActive : .primaryActive
            if let start = progress.antiFlapStart(finishedAt: now) { machine.lastAutomaticFailover = start }
            let actions = [FailoverAction.journal(JournalRecord(at: now, .sequenceFinished(sequence: progress.id)))]
                + machine.enter(done, reason: "\(progress.direction.rawValue) complete (finished after restart)", now: now)
            return (machine, actions)
        }
        progress.status = .running
        machine.sequence = progress
        // The actions first: they change the machine (the drain's deadline), which is returned after.
        let resumed = progress.direction == .refresh
            ? [.notify(FailoverNotice(kind: .refresh, phase: machine.phase, message: "refresh resumed after restart: it runs again from the start"))]
            : machine.enter(machine.phase, reason: "resumed after restart at step \(progress.step)", now: now)
        let actions = resumed + machine.beginStep(now: now)
        return (machine, actions)
    }

    /// What one record says of the refreshes: the last one's start and outcome, the data's age
    /// (a successful refresh's start), the swap, a refresh that waits.
    private mutating func restoreRefresh(_ record: JournalRecord, sequence: SequenceProgress?, lastStart: inout Date?) {
        let isRefreshStep = { (id: Int, index: Int) -> Bool in
            id == sequence?.id && sequence.map { index < $0.steps.count && $0.steps[index] == .refresh } == true
        }
        switch record.entry {
        case .stepStarted(let id, let index, _) where isRefreshStep(id, index):
            refreshStepBegins(now: record.at)
            lastStart = record.at
        case .stepFinished(let id, let index, let success, let message, _) where isRefreshStep(id, index):
            refreshStepEnded(success: success, message: message, swap: nil, now: record.at)
        case .refreshSwapped(let id, let swap) where id == sequence?.id:
            refresh.swap = swap
        case .refreshRequested(let by, let why):
            refresh.pending = "asked for by \(by)" + (why.isEmpty ? "" : ": \(why)")
        case .refreshPostponed(let why):
            if refresh.pending == nil { refresh.pending = "scheduled, postponed" }
            refresh.postponed = why
        case .sequenceAborted(let id, _, _) where id == sequence?.id && refresh.runningSince != nil:
            refreshStepEnded(success: false, message: "aborted", swap: nil, now: record.at)
        default:
            break
        }
    }
}
