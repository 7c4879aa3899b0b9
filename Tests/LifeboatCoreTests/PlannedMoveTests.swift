import Foundation
import Testing
@testable import LifeboatCore

@Suite("Planned moves: switchover and drill")
struct PlannedMoveTests {
    static let failover: [FailoverStep] = FailoverFixture.plan.failover

    @Test("switchover: TTL lowered, the old TTL waited out (a timer), then the failover; failback waits for an operator even with failback = auto and restores the TTL")
    func switchover() {
        var fixture = FailoverFixture.primaryActive(FailoverFixture(automaticFailback: true))
        let start = fixture.send(.command(OperatorCommand(.switchover, reason: "kernel update", by: "alice")), after: 1)
        #expect(start.replies.first?.accepted == true, "\(start.replies)")
        #expect(fixture.machine.phase == .failingOver)
        #expect(fixture.machine.sequence?.steps == [.lowerTTL, .ttlWait] + Self.failover)
        #expect(fixture.machine.sequence?.trigger == .switchover)
        #expect(start.steps == [FailoverStep.lowerTTL])
        fixture.send(.stepSucceeded(index: 0, detail: "TTL 5s", serial: 7))
        #expect(fixture.machine.ttlLowered && fixture.machine.serial == 7)
        // The wait is a timer: no step runs, and it ends 35 s later, not before.
        let timer = fixture.machine.timers(now: fixture.now).first { $0.name == .ttlWait }
        #expect(timer?.until == fixture.now.addingTimeInterval(35))
        #expect(fixture.send(.tick, after: 34).steps.isEmpty)
        #expect(fixture.send(.tick, after: 1).steps == [.stopReplication])
        fixture.finishSequence()
        #expect(fixture.machine.dnsSite == .standby)
        #expect(fixture.machine.servingTrigger == .switchover && fixture.machine.ttlLowered)
        // The primary stayed up (longer than the holddown): ready, but failback = auto does not
        // fail back after a switchover.
        fixture.send(.tick, after: 20)
        #expect(fixture.machine.phase == .failbackReady && fixture.machine.sequence == nil)
        #expect(fixture.machine.waiting?.contains("switchover: failback waits for `lifeboat failback`") == true)
        fixture.send(.command(OperatorCommand(.failback)), after: 1)
        #expect(fixture.machine.sequence?.steps.first == .switchDNS(.primary))
        fixture.finishSequence()
        #expect(fixture.machine.phase == .primaryActive && !fixture.machine.ttlLowered && fixture.machine.servingTrigger == nil)
    }

    @Test("the primary goes down during the TTL wait: the wait ends at once and the failover's steps run")
    func primaryDownDuringTTLWait() {
        var fixture = FailoverFixture.primaryActive()
        fixture.send(.command(OperatorCommand(.switchover)))
        fixture.send(.stepSucceeded(index: 0, detail: "lowered", serial: 5))
        #expect(fixture.machine.sequence?.step == .ttlWait)
        let down = fixture.send(.site(.primary, .down, detail: "primary-web refused"), after: 2)
        #expect(down.steps == [.stopReplication], "\(down)")
        #expect(down.records.contains { if case .stepFinished(_, 1, true, let message, _) = $0 { message.contains("TTL wait ends early") } else { false } })
    }

    @Test("switchover refused with the reason: primary not up, standby down, DNS at the standby, a sequence running; --force passes the failover gates only")
    func switchoverRefusals() {
        var down = FailoverFixture.primaryActive()
        down.confirmation = nil
        down.send(.site(.primary, .down, detail: "refused"))
        var reply = down.send(.command(OperatorCommand(.switchover))).replies.first
        #expect(reply?.accepted == false)
        #expect(reply?.message.contains("a switchover is planned while it is healthy") == true, "\(reply?.message ?? "")")
        reply = down.send(.command(OperatorCommand(.switchover, force: true))).replies.first
        #expect(reply?.accepted == false, "force does not make a failing primary healthy")

        var standbyDown = FailoverFixture.primaryActive()
        standbyDown.send(.site(.standby, .down, detail: "standby-web refused"))
        reply = standbyDown.send(.command(OperatorCommand(.drill))).replies.first
        #expect(reply?.accepted == false && reply?.message.contains("standby not ready") == true, "\(reply?.message ?? "")")
        #expect(standbyDown.send(.command(OperatorCommand(.switchover, force: true))).replies.first?.accepted == true)

        var serving = FailoverFixture.standbyActive()
        serving.send(.site(.primary, .up, detail: "up"))
        reply = serving.send(.command(OperatorCommand(.switchover))).replies.first
        #expect(reply?.accepted == false && reply?.message.contains("DNS points at the standby already") == true, "\(reply?.message ?? "")")

        var running = FailoverFixture.primaryActive()
        running.send(.command(OperatorCommand(.drill)))
        reply = running.send(.command(OperatorCommand(.switchover))).replies.first
        #expect(reply?.accepted == false && reply?.message.contains("sequence is under way") == true, "\(reply?.message ?? "")")
        #expect(running.actions.records.contains { if case .commandRefused = $0 { true } else { false } })
    }

    @Test("switchover aborted during the TTL wait: the TTL goes back (dns-ttl:restore), nothing else was applied")
    func switchoverAborted() {
        var fixture = FailoverFixture.primaryActive()
        fixture.send(.command(OperatorCommand(.switchover)))
        fixture.send(.stepSucceeded(index: 0, detail: "lowered", serial: 5))
        let abort = fixture.send(.command(OperatorCommand(.abort, by: "bob")), after: 3)
        #expect(abort.steps == [.restoreTTL], "\(abort.steps)")
        #expect(fixture.machine.sequence?.steps == [.restoreTTL])
        fixture.finishSequence()
        #expect(fixture.machine.phase == .primaryActive && !fixture.machine.ttlLowered && fixture.machine.readOnlyApplied.isEmpty)
    }

    @Test("aborted after read-only was applied: TTL restored first, then the drain and the reverts, replication again")
    func switchoverRollbackOrder() {
        var progress = SequenceProgress(
            id: 1, direction: .failover, steps: [.lowerTTL, .ttlWait] + Self.failover, trigger: .switchover, forced: false,
            index: 4, attempt: 1, status: .running)
        progress.index = 4  // lowerTTL, ttlWait, stop-replication, apache done; sql:main_ running
        #expect(FailoverStateMachine.rollback(of: progress) == [
            .restoreTTL, .drain, .revertReadOnly("sql:main_"), .revertReadOnly("apache"), .startReplication, .verifyReplication,
        ])
    }

    @Test("no TTL to lower (switchover_ttl not below ttl): the switchover is the failover's steps")
    func switchoverWithoutLowering() {
        var policy = FailoverFixture.policy()
        policy.ttlWait = nil
        var fixture = FailoverFixture.primaryActive(FailoverFixture(plan: FailoverFixture.plan, policy: policy))
        fixture.send(.command(OperatorCommand(.switchover)))
        #expect(fixture.machine.sequence?.steps == Self.failover)
    }

    @Test("drill: the failover, the standby serving for drill_hold, then the failback (no holddown: the primary never went down), each journaled as a drill")
    func drill() {
        var fixture = FailoverFixture.primaryActive()
        let start = fixture.send(.command(OperatorCommand(.drill, by: "carol")))
        #expect(start.replies.first?.accepted == true)
        #expect(fixture.machine.sequence?.steps == Self.failover && fixture.machine.sequence?.trigger == .drill)
        var phases: [FailoverPhase] = []
        var started: [(FailoverDirection, SequenceTrigger)] = []
        var guardCount = 0
        while guardCount < 60 {
            guardCount += 1
            guard let progress = fixture.machine.sequence else {
                // The standby serves for drill_hold (a timer), then the drill fails back.
                guard fixture.machine.phase == .standbyActive else { break }
                // Its countdown is drill_hold's; holddown, which a drill does not wait for, is not shown.
                let timers = fixture.machine.timers(now: fixture.now).map(\.name)
                #expect(timers.contains(.drillHold) && !timers.contains(.holddown), "\(timers)")
                #expect(fixture.send(.tick, after: 59).steps.isEmpty, "not before drill_hold")
                for record in fixture.send(.tick, after: 1).records {
                    if case .phaseChanged(let phase, _) = record { phases.append(phase) }
                    if case .sequenceStarted(_, let direction, _, let trigger, _, _) = record { started.append((direction, trigger)) }
                }
                continue
            }
            let actions: [FailoverAction]
            switch progress.status {
            case .running: actions = fixture.send(.stepSucceeded(index: progress.index, detail: "ok", serial: progress.step.isDNS ? 9 : nil))
            case .draining(let until), .waitingRetry(let until): actions = fixture.send(.tick, after: until.timeIntervalSince(fixture.now))
            case .halted: Issue.record("halted"); return
            }
            for record in actions.records {
                if case .phaseChanged(let phase, _) = record { phases.append(phase) }
                if case .sequenceStarted(_, let direction, _, let trigger, _, _) = record { started.append((direction, trigger)) }
            }
        }
        #expect(phases == [.standbyActive, .failingBack, .primaryActive], "\(phases)")
        #expect(started.map(\.0) == [.failback] && started.map(\.1) == [.drill])
        #expect(fixture.machine.phaseReason == "drill complete: failback done")
        #expect(fixture.machine.lastAutomaticFailover == nil, "a drill does not start the anti-flap timer")
        #expect(fixture.machine.dnsSite == .primary && fixture.machine.readOnlyApplied.isEmpty)
    }

    @Test("the primary goes down during a drill: the drill becomes a real failover (journaled), no failback until holddown")
    func drillBecomesReal() {
        var fixture = FailoverFixture.primaryActive()
        fixture.confirmation = nil
        fixture.send(.command(OperatorCommand(.drill)))
        fixture.send(.site(.primary, .down, detail: "primary-web refused"), after: 1)
        fixture.finishSequence()
        #expect(fixture.machine.phase == .standbyActive && fixture.machine.sequence == nil)
        #expect(fixture.machine.servingTrigger == .automatic)
        fixture.send(.site(.primary, .up, detail: "up"), after: 1)
        #expect(fixture.machine.sequence == nil, "holddown first")
        fixture.send(.tick, after: 10)
        #expect(fixture.machine.phase == .failbackReady && fixture.machine.sequence == nil, "failback = manual")
    }

    @Test("while a drill's standby serves, another switchover or drill is refused saying so")
    func refusedDuringDrillHold() {
        var fixture = FailoverFixture.primaryActive()
        fixture.send(.command(OperatorCommand(.drill)))
        fixture.finishSequence()
        #expect(fixture.machine.phase == .standbyActive && fixture.machine.servingTrigger == .drill)
        for kind in [OperatorCommandKind.switchover, .drill] {
            let reply = fixture.send(.command(OperatorCommand(kind)), after: 1).replies.first
            #expect(reply?.accepted == false && reply?.message.contains("a drill is under way") == true, "\(reply?.message ?? "")")
        }
    }

    @Test("paused during a drill: its failback waits for resume")
    func drillPaused() {
        var fixture = FailoverFixture.primaryActive()
        fixture.send(.command(OperatorCommand(.drill)))
        fixture.send(.command(OperatorCommand(.pause)))
        fixture.finishSequence()
        #expect(fixture.machine.phase == .standbyActive && fixture.machine.sequence == nil)
        #expect(fixture.machine.waiting?.contains("drill's failback waits for resume") == true)
        fixture.send(.command(OperatorCommand(.resume)), after: 60)
        #expect(fixture.machine.sequence?.direction == .failback && fixture.machine.sequence?.trigger == .drill)
    }

    @Test("restored from the journal: a drill interrupted between its failover and failback fails back; a switchover keeps its lowered TTL and its manual failback")
    func restored() {
        for (kind, trigger) in [(OperatorCommandKind.drill, SequenceTrigger.drill), (.switchover, .switchover)] {
            var fixture = FailoverFixture.primaryActive()
            var journal: [JournalRecord] = []
            func keep(_ actions: [FailoverAction]) {
                journal += actions.compactMap { if case .journal(let record) = $0 { record } else { nil } }
            }
            keep(fixture.send(.command(OperatorCommand(kind))))
            // Run the failover only (stop before the drill's failback starts).
            while let progress = fixture.machine.sequence, progress.direction == .failover {
                switch progress.status {
                case .running: keep(fixture.send(.stepSucceeded(index: progress.index, detail: "ok", serial: progress.step.isDNS ? 3 : nil)))
                case .draining(let until), .waitingRetry(let until): keep(fixture.send(.tick, after: until.timeIntervalSince(fixture.now)))
                case .halted: Issue.record("halted"); return
                }
            }
            let cut = journal.firstIndex { if case .sequenceFinished = $0.entry { true } else { false } }!
            var restored = FailoverStateMachine.restored(
                from: Array(journal.prefix(cut + 1)), plan: FailoverFixture.plan, policy: FailoverFixture.policy(automaticFailback: true),
                servedSite: .standby, now: fixture.now).machine
            #expect(restored.servingTrigger == trigger && restored.phase == .standbyActive)
            #expect(restored.ttlLowered == (kind == .switchover))
            let later = fixture.now.addingTimeInterval(61)
            let actions = restored.handle(.site(.primary, .up, detail: "up"), now: later) + restored.handle(.tick, now: later)
            if kind == .drill {
                #expect(actions.steps == [.switchDNS(.primary)], "the drill's failback starts at once")
            } else {
                #expect(actions.steps.isEmpty && restored.sequence == nil, "a switchover waits for the operator")
            }
        }
    }

    @Test("with watched resolvers the drain also waits for the watch of failback's switch: read-only stays past the TTL until it settles, waking nobody meanwhile")
    func drainWaitsForPropagation() {
        var policy = FailoverFixture.policy()
        policy.drainAwaitsPropagation = true
        var fixture = FailoverFixture.failbackReady(FailoverFixture(plan: FailoverFixture.plan, policy: policy))
        fixture.send(.command(OperatorCommand(.failback)), after: 1)
        let drainStarts = fixture.send(.stepSucceeded(index: 0, detail: "DNS → primary", serial: 42))
        #expect(fixture.machine.sequence?.step == .drain)
        #expect(drainStarts.contains(.watchPropagation(serial: 42)), "the drain makes sure the watch of its switch runs")
        // An earlier switch's watch settling changes nothing.
        fixture.send(.propagationSettled(serial: 41))
        #expect(fixture.send(.tick, after: 7).steps.isEmpty, "the TTL has passed, the watch has not")
        #expect(fixture.machine.waiting?.contains("read-only stays until every watched resolver and secondary answers the primary") == true)
        #expect(fixture.machine.drainAwaitingPropagation && fixture.machine.nextDeadline() == nil, "nothing to wake for: the watch's end is the event")
        #expect(fixture.send(.tick, after: 30).steps.isEmpty)
        let settled = fixture.send(.propagationSettled(serial: 42), after: 1)
        #expect(settled.steps == [.revertReadOnly("sql:shared_")], "\(settled.steps)")
        #expect(settled.records.contains { if case .stepFinished(_, 1, true, let message, _) = $0 { message.contains("every watched resolver") } else { false } })

        // Settled before the TTL has passed: the drain ends with its timer.
        var early = FailoverFixture.failbackReady(FailoverFixture(plan: FailoverFixture.plan, policy: policy))
        early.send(.command(OperatorCommand(.failback)), after: 1)
        early.send(.stepSucceeded(index: 0, detail: "DNS → primary", serial: 50))
        early.send(.propagationSettled(serial: 50), after: 2)
        #expect(early.machine.sequence?.step == .drain)
        #expect(early.send(.tick, after: 5).steps == [.revertReadOnly("sql:shared_")])
    }

    @Test("a crash between a switchover's DNS change and its record, then an abort and a restart: the zone says standby, and failback still waits for an operator (found by the property test)")
    func restoredAfterUnrecordedSwitch() {
        var fixture = FailoverFixture.primaryActive()
        var journal: [JournalRecord] = []
        func keep(_ actions: [FailoverAction]) { journal += actions.compactMap { if case .journal(let r) = $0 { r } else { nil } } }
        keep(fixture.send(.command(OperatorCommand(.switchover))))
        while let progress = fixture.machine.sequence, progress.step != .switchDNS(.standby) {
            switch progress.status {
            case .running: keep(fixture.send(.stepSucceeded(index: progress.index, detail: "ok", serial: progress.step.isDNS ? 3 : nil)))
            case .draining(let until), .waitingRetry(let until): keep(fixture.send(.tick, after: until.timeIntervalSince(fixture.now)))
            case .halted: return
            }
        }
        // dns:standby ran (the zone serves the standby) but its record never came; then it is aborted.
        let index = fixture.machine.sequence!.index
        let id = fixture.machine.sequence!.id
        journal.append(JournalRecord(at: fixture.now, .sequenceHalted(sequence: id, index: index, reason: "crash")))
        journal.append(JournalRecord(at: fixture.now, .sequenceAborted(sequence: id, by: "bob", reason: "")))
        var policy = FailoverFixture.policy(automaticFailback: true)
        policy.ttlWait = .seconds(35)
        var restored = FailoverStateMachine.restored(from: journal, plan: FailoverFixture.plan, policy: policy, servedSite: .standby, now: fixture.now).machine
        #expect(restored.phase == .standbyActive && restored.servingTrigger == .switchover)
        let later = fixture.now.addingTimeInterval(60)
        let actions = restored.handle(.site(.primary, .up, detail: "up"), now: later) + restored.handle(.tick, now: later.addingTimeInterval(11))
        #expect(actions.steps.isEmpty && restored.phase == .failbackReady, "failback = auto does not fail back after a switchover")
    }

    @Test("after a restart the watch of the switch is gone: a resumed drain asks for it again, or it would wait for nobody (found by the property test)")
    func resumedDrainAsksForTheWatch() {
        var policy = FailoverFixture.policy()
        policy.drainAwaitsPropagation = true
        var fixture = FailoverFixture.failbackReady(FailoverFixture(plan: FailoverFixture.plan, policy: policy))
        var journal: [JournalRecord] = []
        func keep(_ actions: [FailoverAction]) { journal += actions.compactMap { if case .journal(let r) = $0 { r } else { nil } } }
        keep(fixture.send(.command(OperatorCommand(.failback)), after: 1))
        keep(fixture.send(.stepSucceeded(index: 0, detail: "DNS → primary", serial: 42)))
        fixture.send(.propagationSettled(serial: 42))  // settled before the crash: the restarted machine does not know
        let restored = FailoverStateMachine.restored(from: journal, plan: FailoverFixture.plan, policy: policy, servedSite: .primary, now: fixture.now)
        #expect(restored.machine.sequence?.step == .drain)
        #expect(restored.actions.contains(.watchPropagation(serial: 42)), "\(restored.actions)")
    }
}
