import Foundation

extension FailoverStateMachine {
    /// Carries out or refuses an operator's command; every outcome is journaled and replied.
    mutating func handle(_ command: OperatorCommand, now: Date) -> [FailoverAction] {
        switch command.kind {
        case .promote: return promote(command, now: now)
        case .failback: return failback(command, now: now)
        case .pause, .resume: return setPaused(command, now: now)
        case .retry: return retry(command, now: now)
        case .abort: return abort(command, now: now)
        case .refresh: return refreshCommand(command, now: now)
        case .switchover, .drill: return plannedMove(command, now: now)
        }
    }

    /// A refused command: journaled, and the reply says why.
    func refuse(_ command: OperatorCommand, _ message: String, now: Date) -> [FailoverAction] {
        [
            .journal(JournalRecord(at: now, .commandRefused(command, message: message))),
            .reply(CommandReply(accepted: false, message: message)),
        ]
    }

    var busy: String? {
        guard let sequence else { return nil }
        if case .halted(let reason) = sequence.status {
            return "the \(sequence.direction.rawValue) sequence is stopped in ERROR (\(reason)); use retry or abort"
        }
        if sequence.direction == .refresh {
            return "a refresh of the standby is under way; wait for it, or `lifeboat abort` ends it (the standby keeps its old data)"
        }
        return "a \(sequence.direction.rawValue) sequence is under way (step \(sequence.index + 1) of \(sequence.steps.count): \(sequence.step))"
    }

    private mutating func promote(_ command: OperatorCommand, now: Date) -> [FailoverAction] {
        if let busy { return refuse(command, busy, now: now) }
        guard phase == .primaryActive else { return refuse(command, "already failed over: DNS points at the standby", now: now) }
        if !command.force, let gate = failoverGate(now: now) {
            return refuse(command, "\(gate); use --force to promote anyway", now: now)
        }
        let reason = "promote by \(command.by)\(command.force ? " (forced)" : "")\(command.reason.isEmpty ? "" : ": \(command.reason)")"
        return startSequence(.failover, trigger: .operator, forced: command.force, reason: reason, now: now)
            + [.reply(CommandReply(accepted: true, message: "failover started"))]
    }

    private mutating func failback(_ command: OperatorCommand, now: Date) -> [FailoverAction] {
        if let busy { return refuse(command, busy, now: now) }
        switch phase {
        case .failbackReady:
            break
        case .standbyActive where command.force:
            break
        case .standbyActive:
            return refuse(command, "primary not ready: \(waiting ?? "primary \(primary)"); use --force to fail back anyway", now: now)
        default:
            return refuse(command, "nothing to fail back: DNS points at the primary", now: now)
        }
        let reason = "failback by \(command.by)\(command.force ? " (forced)" : "")\(command.reason.isEmpty ? "" : ": \(command.reason)")"
        waiting = nil
        return startSequence(.failback, trigger: .operator, forced: command.force, reason: reason, now: now)
            + [.reply(CommandReply(accepted: true, message: "failback started"))]
    }

    private mutating func setPaused(_ command: OperatorCommand, now: Date) -> [FailoverAction] {
        let pause = command.kind == .pause
        guard paused != pause else {
            return [.reply(CommandReply(accepted: true, message: pause ? "already paused" : "not paused"))]
        }
        paused = pause
        if !pause { waiting = nil }
        return [
            .journal(JournalRecord(at: now, .paused(pause, by: command.by, reason: command.reason))),
            .notify(FailoverNotice(kind: .stateChanged, phase: phase, message: pause ? "paused by \(command.by)" : "resumed by \(command.by)")),
            .reply(CommandReply(accepted: true, message: pause ? "paused: no automatic transitions" : "resumed")),
        ]
    }

    private mutating func retry(_ command: OperatorCommand, now: Date) -> [FailoverAction] {
        guard var progress = sequence else { return refuse(command, "nothing to retry: no sequence is stopped", now: now) }
        switch progress.status {
        case .halted, .waitingRetry:
            break
        case .running, .draining:
            return refuse(command, "nothing to retry: step \(progress.step) is under way", now: now)
        }
        progress.attempt = 1
        progress.status = .running
        sequence = progress
        var actions: [FailoverAction] = [.journal(JournalRecord(at: now, .sequenceRetried(sequence: progress.id, by: command.by, reason: command.reason)))]
        actions += enter(progress.direction == .failover ? .failingOver : .failingBack, reason: "retry by \(command.by) at step \(progress.step)", now: now)
        actions += beginStep(now: now)
        actions.append(.reply(CommandReply(accepted: true, message: "retrying step \(progress.step)")))
        return actions
    }

    /// What undoes a failover stopped at `progress.index` (that step may have half happened; every
    /// step is idempotent): a drain first (the standby may have served until recently: an earlier
    /// failback given up before its drain), its read-only steps reverted in reverse, the replica
    /// read-only again, replication restarted and verified. DNS never moved (the machine halts
    /// before it does).
    static func rollback(of progress: SequenceProgress) -> [FailoverStep] {
        let touched = progress.steps.prefix(progress.index + 1)
        var undo: [FailoverStep] = touched.reversed().compactMap { if case .applyReadOnly(let name) = $0 { .revertReadOnly(name) } else { nil } }
        if !undo.isEmpty { undo.insert(.drain, at: 0) }
        // A switchover's lowered TTL goes back first (the drain's resolvers then hear the usual one).
        if touched.contains(.lowerTTL) { undo.insert(.restoreTTL, at: 0) }
        if touched.contains(.stopReplication) {
            // Read-only before replication starts, whether or not this failover made it writable
            // (an earlier aborted failback may have left it so).
            if progress.steps.contains(.databaseWritable) { undo.append(.databaseReadOnly) }
            undo += [.startReplication, .verifyReplication]
        }
        return undo
    }

    private mutating func abort(_ command: OperatorCommand, now: Date) -> [FailoverAction] {
        guard let progress = sequence else { return refuse(command, "nothing to abort: no sequence is under way", now: now) }
        if progress.status == .running {
            if pendingAbort != nil { return [.reply(CommandReply(accepted: true, message: "already ending step \(progress.step) for an abort"))] }
            pendingAbort = command
            return [
                .cancelStep(index: progress.index),
                .notify(FailoverNotice(kind: .stateChanged, phase: phase, message: "abort by \(command.by): ending step \(progress.step)")),
                .reply(CommandReply(accepted: true, message: "ending step \(progress.step) (a command gets SIGTERM, SIGKILL after 5 s), then aborting")),
            ]
        }
        sequence = nil
        // An aborted drill that reached the standby is not failed back at once: the usual rules apply.
        if servingTrigger == .drill { servingTrigger = .operator }
        var actions: [FailoverAction] = [.journal(JournalRecord(at: now, .sequenceAborted(sequence: progress.id, by: command.by, reason: command.reason)))]
        if !command.keep, progress.direction == .failover, dnsSite == .primary {
            let undo = Self.rollback(of: progress)
            if !undo.isEmpty {
                let reason = "abort by \(command.by) at step \(progress.step): reverting what the failover applied"
                    + (command.reason.isEmpty ? "" : " (\(command.reason))")
                actions += startSequence(.failback, trigger: .operator, forced: false, reason: reason, now: now, steps: undo)
                actions.append(.reply(CommandReply(accepted: true, message: "failover aborted; reverting: \(undo.map(\.description).joined(separator: ", "))")))
                return actions
            }
        }
        let stays: FailoverPhase = dnsSite == .standby ? .standbyActive : .primaryActive
        var note = "\(progress.direction.rawValue) aborted by \(command.by) at step \(progress.step); DNS stays at the \(dnsSite.rawValue)"
        if !readOnlyApplied.isEmpty, dnsSite == .primary { note += "; the standby is still (partly) read-only" }
        actions += enter(stays, reason: note, now: now)
        actions.append(.reply(CommandReply(accepted: true, message: note)))
        return actions
    }
}
