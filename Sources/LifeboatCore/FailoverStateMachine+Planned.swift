public import Foundation

/// Planned moves an operator starts while the primary is healthy: a `switchover` (maintenance at
/// the primary: the TTL lowered and waited out, then the failover; failback waits for
/// `lifeboat failback`) and a `drill` (a full failover and failback against the real standby,
/// failing back once the standby has served for `drill_hold`). Both pass the failover's gates unless
/// forced, and are refused while any sequence runs.
extension FailoverStateMachine {
    mutating func plannedMove(_ command: OperatorCommand, now: Date) -> [FailoverAction] {
        let drill = command.kind == .drill
        let name = drill ? "drill" : "switchover"
        if let refusal = plannedRefusal(command, now: now, what: name) { return refuse(command, refusal, now: now) }
        // A switchover lowers the TTL even when it seems lowered (idempotent): the wait is what makes it safe.
        let steps = drill ? plan.failover : plan.switchover(lowersTTL: policy.ttlWait != nil)
        let reason = "\(name) by \(command.by)\(command.force ? " (forced)" : "")\(command.reason.isEmpty ? "" : ": \(command.reason)")"
        let started = steps.first == .lowerTTL
            ? "switchover started: TTL lowered, then \(DurationText.format(policy.ttlWait ?? .zero)) for caches to take it, then the failover"
            : "\(name) started"
        return startSequence(.failover, trigger: drill ? .drill : .switchover, forced: command.force, reason: reason, now: now, steps: steps)
            + [.reply(CommandReply(accepted: true, message: started))]
    }

    /// Why a planned move cannot start now: a sequence, DNS not at the primary, the primary not
    /// up (a failing primary is the automatic failover's, or `promote`'s), or a failover gate.
    private func plannedRefusal(_ command: OperatorCommand, now: Date, what: String) -> String? {
        if let busy { return busy }
        if servingTrigger == .drill, dnsSite == .standby {
            return "a drill is under way: the standby serves for drill_hold (\(DurationText.format(policy.drillHold))), then fails back"
        }
        guard phase == .primaryActive, dnsSite == .primary else { return "DNS points at the standby already: nothing to \(what)" }
        if primary != .up {
            return "the primary is \(primary) (\(primaryDetail)): a \(what) is planned while it is healthy; use `lifeboat promote` for an outage"
        }
        if !command.force, let gate = failoverGate(now: now) { return "\(gate); use --force to \(what) anyway" }
        return nil
    }

    /// A drill's failover is complete: fail back once the standby has served for `drill_hold`,
    /// while the primary is up (not while paused). A primary
    /// found down meanwhile turns the drill into a real failover (journaled; the usual holddown
    /// and failback rules apply from then).
    mutating func drillFailback(now: Date) -> [FailoverAction] {
        switch primary {
        case .up where paused:
            waiting = "paused: the drill's failback waits for resume or `lifeboat failback`"
            return []
        case .up where now < phaseSince.adding(policy.drillHold):
            waiting = "drill: the standby serves until the drill-hold timer ends (drill_hold \(DurationText.format(policy.drillHold))), then fails back"
            return []
        case .up:
            waiting = nil
            return startSequence(.failback, trigger: .drill, forced: false, reason: "drill: the primary is up, failing back", now: now)
        case .down:
            servingTrigger = .automatic
            let reason = "the primary went down during the drill (\(primaryDetail)): the drill is now a real failover"
            return [.journal(JournalRecord(at: now, .drillBecameReal(reason: reason)))]
                + enter(.standbyActive, reason: reason, now: now) + evaluate(now: now)
        default:
            waiting = "drill: failback when the primary's state is known (\(primary))"
            return []
        }
    }

    /// What `drill` would do now, on a copy of the machine (nothing changes): the refusal, or the
    /// failover's and failback's steps.
    public func drillPreview(now: Date) -> (refusal: String?, steps: [(FailoverDirection, FailoverStep)]) {
        var copy = self
        let reply = copy.handle(.command(OperatorCommand(.drill, by: "dry-run")), now: now).compactMap { if case .reply(let reply) = $0 { reply } else { nil } }.first
        let steps = plan.failover.map { (FailoverDirection.failover, $0) } + plan.failback.map { (FailoverDirection.failback, $0) }
        guard let reply, reply.accepted else { return (reply?.message ?? "refused", steps) }
        return (nil, steps)
    }
}
