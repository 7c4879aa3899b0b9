import Foundation
import LifeboatCore
import Testing

/// Every phase × every kind of event, and the phase that follows.
@Suite("Failover state machine: transition table")
struct FailoverTransitionTests {
    enum Input: String, CaseIterable, Sendable {
        case primaryDown, primaryUp, standbyDown, standbyUp, isolated, notIsolated
        case promote, promoteForced, failback, failbackForced, pause, resume, retry, abort
        case stepSucceeded, stepFailed, tickLater, preflightFailing, preflightOk
        case switchover, drill

        func event(for machine: FailoverStateMachine) -> FailoverEvent {
            let index = machine.sequence?.index ?? 0
            switch self {
            case .primaryDown: return .site(.primary, .down, detail: "primary-web refused")
            case .primaryUp: return .site(.primary, .up, detail: "all checks up")
            case .standbyDown: return .site(.standby, .down, detail: "standby-web refused")
            case .standbyUp: return .site(.standby, .up, detail: "all checks up")
            case .isolated: return .isolated(true)
            case .notIsolated: return .isolated(false)
            case .promote: return .command(OperatorCommand(.promote))
            case .promoteForced: return .command(OperatorCommand(.promote, force: true))
            case .failback: return .command(OperatorCommand(.failback))
            case .failbackForced: return .command(OperatorCommand(.failback, force: true))
            case .pause: return .command(OperatorCommand(.pause))
            case .resume: return .command(OperatorCommand(.resume))
            case .retry: return .command(OperatorCommand(.retry))
            case .abort: return .command(OperatorCommand(.abort))
            case .stepSucceeded: return .stepSucceeded(index: index, detail: "ok", serial: nil)
            case .stepFailed: return .stepFailed(index: index, message: "boom")
            case .tickLater: return .tick
            case .preflightFailing: return .preflight(problem: "preflight failing: table drupal.main_sessions: missing (k)")
            case .preflightOk: return .preflight(problem: nil)
            case .switchover: return .command(OperatorCommand(.switchover))
            case .drill: return .command(OperatorCommand(.drill))
            }
        }
    }

    /// The phase after each input; inputs not listed leave the phase as it was.
    static let changes: [FailoverPhase: [Input: FailoverPhase]] = [
        .primaryActive: [.primaryDown: .failingOver, .promote: .failingOver, .promoteForced: .failingOver, .switchover: .failingOver, .drill: .failingOver],
        .failingOver: [:],
        .standbyActive: [.failbackForced: .failingBack],
        .failbackReady: [.primaryDown: .standbyActive, .failback: .failingBack, .failbackForced: .failingBack],
        .failingBack: [:],
        // Abort gives the halted failover up and reverts what it applied (a rollback, FAILING_BACK).
        .error: [.retry: .failingOver, .abort: .failingBack],
    ]

    static let cases: [(FailoverPhase, Input)] = FailoverPhase.allCases.flatMap { phase in Input.allCases.map { (phase, $0) } }

    @Test("phase × event", arguments: cases)
    func transition(phase: FailoverPhase, input: Input) {
        var fixture = FailoverFixture.at(phase)
        #expect(fixture.machine.phase == phase, "fixture for \(phase)")
        let seconds = input == .tickLater ? 3600.0 : 0.5
        let actions = fixture.send(input.event(for: fixture.machine), after: seconds)
        let expected = Self.changes[phase]?[input] ?? phase
        #expect(fixture.machine.phase == expected, "\(phase) + \(input)")
        // A command always gets exactly one reply; anything else gets none.
        let isCommand = [.promote, .promoteForced, .failback, .failbackForced, .pause, .resume, .retry, .abort, .switchover, .drill].contains(input)
        #expect(actions.replies.count == (isCommand ? 1 : 0))
        // A refused command changes nothing but the journal.
        if let reply = actions.replies.first, !reply.accepted {
            #expect(actions.steps.isEmpty)
            #expect(actions.records.allSatisfy { if case .commandRefused = $0 { true } else { false } })
        }
    }

    @Test("a failing preflight holds an automatic failover and an unforced promote with the reason; forced runs; ok again lets it start")
    func preflightGate() {
        var fixture = FailoverFixture.at(.primaryActive)
        let failing = fixture.send(.preflight(problem: "preflight failing: table drupal.main_sessions: missing (service[0].readonly.table_prefixes[0])"))
        #expect(failing.notices.contains { $0.kind == .preflight && $0.message.contains("main_sessions") })
        #expect(fixture.send(.preflight(problem: "preflight failing: table drupal.main_sessions: missing (service[0].readonly.table_prefixes[0])")).notices.isEmpty,
                "the same verdict again is no news")
        _ = fixture.send(.site(.primary, .down, detail: "primary-web refused"))
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.waiting?.contains("failover held: preflight failing: table drupal.main_sessions: missing") == true, "\(fixture.machine.waiting ?? "nil")")
        let promote = fixture.send(.command(OperatorCommand(.promote)))
        #expect(promote.replies.first?.accepted == false && fixture.machine.phase == .primaryActive)
        var forced = fixture
        #expect(forced.send(.command(OperatorCommand(.promote, force: true))).replies.first?.accepted == true)
        #expect(forced.machine.phase == .failingOver)
        let ok = fixture.send(.preflight(problem: nil))
        #expect(ok.notices.contains { $0.kind == .preflight && $0.message.hasPrefix("preflight ok") })
        #expect(fixture.machine.phase == .failingOver, "the held failover starts once the preflight passes")
    }

    @Test("fresh evidence: isolation ends while the primary recovers — the round sees it answer, no failover")
    func isolationEndsWhilePrimaryRecovers() {
        var fixture = FailoverFixture.at(.primaryActive)
        fixture.confirmation = nil
        fixture.send(.isolated(true))
        fixture.send(.site(.primary, .down, detail: "primary-web: timeout"), after: 1)
        #expect(fixture.machine.phase == .primaryActive && fixture.machine.waiting?.contains("isolated") == true)
        #expect(fixture.actions.confirmRounds.isEmpty, "no round while isolated")
        // The cut is lifted: the witness counter clears first, the primary's still says down.
        let lifted = fixture.send(.isolated(false), after: 1)
        let round = try! #require(lifted.confirmRounds.first)
        #expect(fixture.machine.phase == .primaryActive && fixture.machine.waiting?.contains("confirming") == true)
        fixture.send(.confirmation(round: round, primaryFailing: false, witnessUp: true, detail: "primary-web: ok, witness-web: ok"))
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.waiting?.contains("the primary answered in the confirmation round") == true, "\(fixture.machine.waiting ?? "")")
        // The next round waits the check interval; the primary's own counter comes back up meanwhile.
        #expect(fixture.send(.tick, after: 0.1).confirmRounds.isEmpty)
        fixture.send(.site(.primary, .up, detail: "all checks up"), after: 1)
        #expect(fixture.machine.phase == .primaryActive && fixture.machine.waiting == nil)
    }

    @Test("fresh evidence: the primary's counter reaches down before the witnesses' — the round finds no witness, no failover")
    func primaryCounterFirst() {
        var fixture = FailoverFixture.at(.primaryActive)
        fixture.confirmation = nil
        let down = fixture.send(.site(.primary, .down, detail: "primary-web: timeout"), after: 1)
        let round = try! #require(down.confirmRounds.first)
        fixture.send(.confirmation(round: round, primaryFailing: true, witnessUp: false, detail: "primary-web: timeout, witness-web: timeout"))
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.waiting?.contains("no witness answered") == true)
        // A real outage with the witnesses back: the next round confirms and the failover starts.
        let again = fixture.send(.tick, after: 1.0)
        let next = try! #require(again.confirmRounds.first)
        #expect(next != round)
        fixture.send(.confirmation(round: round, primaryFailing: true, witnessUp: true, detail: "late answer of the old round"))
        #expect(fixture.machine.phase == .primaryActive, "an old round's answer is ignored")
        fixture.send(.confirmation(round: next, primaryFailing: true, witnessUp: true, detail: "primary-web: refused, witness-web: ok"))
        #expect(fixture.machine.phase == .failingOver)
        #expect(fixture.machine.phaseReason.contains("confirmed: primary-web: refused, witness-web: ok"))
    }

    @Test("a cluster's hold (no quorum of sites) keeps the failover from starting; the next round without one starts it")
    func clusterHold() {
        var fixture = FailoverFixture.at(.primaryActive)
        fixture.confirmation = nil
        let down = fixture.send(.site(.primary, .down, detail: "primary-web: timeout"), after: 1)
        let round = try! #require(down.confirmRounds.first)
        let hold = "1 of 3 sites see the primary down (quorum 2); offsite-b, offsite-c see it up"
        fixture.send(.confirmation(round: round, primaryFailing: true, witnessUp: true, detail: "primary-web: timeout, witness-web: ok", heldBy: hold))
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.waiting == "primary down (primary-web: timeout); failover held: \(hold)", "\(fixture.machine.waiting ?? "")")
        #expect(fixture.send(.tick, after: 0.1).confirmRounds.isEmpty, "the next round waits the retry")
        let next = try! #require(fixture.send(.tick, after: 1.0).confirmRounds.first)
        fixture.send(.confirmation(round: next, primaryFailing: true, witnessUp: true, detail: "primary-web: timeout, witness-web: ok"))
        #expect(fixture.machine.phase == .failingOver)
    }

    @Test("with replica_read_only: writable right after stop-replication, read-only again right before start-replication")
    func replicaReadOnlyPlan() {
        let plan = StepPlan(readOnlySteps: ["apache", "sql:main"], replication: true, resync: true, replicaReadOnly: true)
        #expect(plan.failover == [.stopReplication, .databaseWritable, .applyReadOnly("apache"), .applyReadOnly("sql:main"), .switchDNS(.standby)])
        #expect(plan.failback == [.switchDNS(.primary), .drain, .revertReadOnly("sql:main"), .revertReadOnly("apache"), .resync,
                                  .databaseReadOnly, .startReplication, .verifyReplication])
        let noReplication = StepPlan(readOnlySteps: ["apache"], replication: false, resync: false, replicaReadOnly: true)
        #expect(!noReplication.failover.contains(.databaseWritable) && !noReplication.failback.contains(.databaseReadOnly))
    }

    @Test("a failover runs stop-replication, read-only, DNS; each step journaled before and after")
    func failoverOrder() {
        var fixture = FailoverFixture.failingOver()
        var ran: [FailoverStep] = fixture.actions.steps
        #expect(fixture.actions.records.first.map { if case .sequenceStarted(_, .failover, _, .automatic, false, _) = $0 { true } else { false } } == true)
        while let progress = fixture.machine.sequence {
            let actions = fixture.send(.stepSucceeded(index: progress.index, detail: "ok", serial: progress.step.isDNS ? 7 : nil))
            let records = actions.records
            guard case .stepFinished(_, progress.index, true, _, _) = records.first else {
                Issue.record("step \(progress.index) not journaled as finished first: \(records)")
                return
            }
            if !actions.steps.isEmpty {
                // The next step's start is journaled before the step is handed out.
                let started = actions.firstIndex { if case .journal(let r) = $0, case .stepStarted = r.entry { true } else { false } }
                let run = actions.firstIndex { if case .runStep = $0 { true } else { false } }
                #expect(started! < run!)
            }
            ran += actions.steps
        }
        #expect(ran == [.stopReplication, .applyReadOnly("apache"), .applyReadOnly("sql:main_"), .applyReadOnly("sql:shared_"), .switchDNS(.standby)])
        #expect(fixture.machine.phase == .standbyActive)
        #expect(fixture.machine.dnsSite == .standby)
        #expect(fixture.machine.serial == 7)
    }

    @Test("a failback moves DNS, drains for TTL + grace, then reverts read-only in reverse, resyncs")
    func failbackOrder() {
        var fixture = FailoverFixture.failingBack()
        #expect(fixture.actions.steps == [.switchDNS(.primary)])
        fixture.send(.stepSucceeded(index: 0, detail: "ok", serial: 9))
        #expect(fixture.actions.steps.isEmpty, "the drain is a timer, not a step to run")
        fixture.send(.tick, after: 6.9)
        #expect(fixture.machine.sequence?.step == .drain, "still draining before TTL + grace")
        fixture.send(.tick, after: 0.1)
        #expect(fixture.actions.steps == [.revertReadOnly("sql:shared_")])
        #expect(fixture.machine.readOnlyComplete, "read-only stays until its revert step succeeds")
        var ran = fixture.actions.steps
        while let progress = fixture.machine.sequence {
            ran += fixture.send(.stepSucceeded(index: progress.index, detail: "ok", serial: nil)).steps
        }
        #expect(ran == [.revertReadOnly("sql:shared_"), .revertReadOnly("sql:main_"), .revertReadOnly("apache"), .resync, .startReplication, .verifyReplication])
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.readOnlyApplied.isEmpty)
    }

    @Test("automatic failback starts once the primary has been up for the holddown, not before")
    func automaticFailback() {
        var fixture = FailoverFixture(automaticFailback: true)
        fixture.send(.site(.primary, .up, detail: ""))
        fixture.send(.site(.standby, .up, detail: ""))
        fixture.send(.site(.primary, .down, detail: "refused"), after: 1)
        fixture.finishSequence()
        #expect(fixture.machine.phase == .standbyActive)
        fixture.send(.site(.primary, .up, detail: ""), after: 1)
        #expect(fixture.machine.nextDeadline() == fixture.now.addingTimeInterval(10))
        fixture.send(.tick, after: 9.5)
        #expect(fixture.machine.phase == .standbyActive)
        #expect(fixture.machine.waiting?.hasPrefix("holddown") == true)
        fixture.send(.site(.primary, .down, detail: "refused"), after: 0.4)
        fixture.send(.site(.primary, .up, detail: ""), after: 0.1)
        fixture.send(.tick, after: 9.9)
        #expect(fixture.machine.phase == .standbyActive, "a dip restarts the holddown")
        fixture.send(.tick, after: 0.1)
        #expect(fixture.machine.phase == .failingBack)
    }

    @Test("gates: standby down, isolated, paused hold an automatic failover and say why")
    func gates() {
        let cases: [(FailoverEvent, String)] = [
            (.site(.standby, .down, detail: "standby-db lag_exceeded: lag 40s exceeds max_lag 30s"), "standby not ready (down): standby-db lag_exceeded"),
            (.isolated(true), "isolated: every witness is down"),
            (.command(OperatorCommand(.pause)), "paused"),
        ]
        for (blocker, why) in cases {
            var fixture = FailoverFixture.primaryActive()
            fixture.send(blocker)
            let actions = fixture.send(.site(.primary, .down, detail: "primary-web refused"), after: 1)
            #expect(fixture.machine.phase == .primaryActive)
            #expect(actions.steps.isEmpty)
            #expect(fixture.machine.waiting?.contains(why) == true, "\(fixture.machine.waiting ?? "nil")")
            #expect(actions.contains { if case .notify(let n) = $0 { n.kind == .blocked } else { false } })
        }
    }

    @Test("promote passes the gates unless forced")
    func promoteGates() {
        var fixture = FailoverFixture.primaryActive()
        fixture.send(.site(.standby, .down, detail: "standby-web refused"))
        let refused = fixture.send(.command(OperatorCommand(.promote, reason: "maintenance")))
        #expect(refused.replies.first?.accepted == false)
        #expect(refused.replies.first?.message.contains("--force") == true)
        let forced = fixture.send(.command(OperatorCommand(.promote, force: true, reason: "maintenance", by: "alice")))
        #expect(forced.replies.first?.accepted == true)
        #expect(fixture.machine.phaseReason.contains("alice"))
        #expect(fixture.machine.lastAutomaticFailover == nil, "an operator's failover is not counted by anti-flap")
    }

    @Test("anti-flap: a second automatic failover waits for min_failover_interval")
    func antiFlap() {
        var (fixture, first) = FailoverFixture.failedBack()
        #expect(fixture.machine.phase == .primaryActive)
        fixture.send(.site(.primary, .down, detail: "refused"), after: 30)
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.waiting?.contains("anti-flap") == true)
        #expect(fixture.machine.nextDeadline() == first.addingTimeInterval(600))
        fixture.send(.tick, after: first.addingTimeInterval(600).timeIntervalSince(fixture.now))
        #expect(fixture.machine.phase == .failingOver)
    }

    @Test("a failed automatic failover does not arm anti-flap: aborted, the next one may start at once")
    func failedFailoverNoAntiFlap() {
        var fixture = FailoverFixture(stepRetries: 1)
        fixture.send(.site(.standby, .up, detail: ""))
        fixture.send(.site(.primary, .up, detail: ""))
        fixture.send(.site(.primary, .down, detail: "refused"), after: 1)
        #expect(fixture.machine.phase == .failingOver)
        let index = fixture.machine.sequence!.index
        fixture.send(.stepFailed(index: index, message: "configtest failed"))
        #expect(fixture.machine.phase == .error)
        #expect(fixture.machine.lastAutomaticFailover == nil)
        let abort = fixture.send(.command(OperatorCommand(.abort, reason: "fixed the include")), after: 5)
        #expect(abort.records.contains { if case .sequenceAborted = $0 { true } else { false } })
        #expect(fixture.machine.phase == .failingBack, "the rollback runs first")
        // The rollback ends, the primary is still down: a new automatic failover at once (no anti-flap
        // from the failed one), which this time completes.
        fixture.finishSequence()
        #expect(fixture.machine.phase == .standbyActive, "\(fixture.machine.waiting ?? "")")
        #expect(fixture.machine.lastAutomaticFailover != nil)

        // Paused before the abort, nothing starts.
        var paused = FailoverFixture(stepRetries: 1)
        paused.send(.site(.standby, .up, detail: ""))
        paused.send(.site(.primary, .up, detail: ""))
        paused.send(.site(.primary, .down, detail: "refused"), after: 1)
        paused.send(.stepFailed(index: paused.machine.sequence!.index, message: "configtest failed"))
        paused.send(.command(OperatorCommand(.pause)))
        paused.send(.command(OperatorCommand(.abort)))
        paused.finishSequence()
        #expect(paused.machine.phase == .primaryActive && paused.machine.waiting?.contains("paused") == true)
    }

    @Test("abort in ERROR reverts what the failover applied, in reverse, after a drain; --keep keeps it")
    func abortReverts() {
        let plan = StepPlan(readOnlySteps: ["apache", "sql:main"], replication: true, resync: true, replicaReadOnly: true)
        var machine = FailoverStateMachine(plan: plan, policy: FailoverFixture.policy(stepRetries: 1), now: FailoverFixture.start)
        let now = FailoverFixture.start
        _ = machine.handle(.site(.standby, .up, detail: ""), now: now)
        _ = machine.handle(.command(OperatorCommand(.promote, force: true)), now: now)
        for index in 0..<3 { _ = machine.handle(.stepSucceeded(index: index, detail: "ok", serial: nil), now: now) }  // stop, writable, apache
        _ = machine.handle(.stepFailed(index: 3, message: "Table 'drupal.main_sessions' doesn't exist"), now: now)
        #expect(machine.phase == .error && machine.readOnlyApplied == ["apache"])
        var kept = machine
        _ = kept.handle(.command(OperatorCommand(.abort, keep: true)), now: now)
        #expect(kept.phase == .primaryActive && kept.sequence == nil && kept.readOnlyApplied == ["apache"], "--keep: today's behaviour")
        let actions = machine.handle(.command(OperatorCommand(.abort, reason: "wrong prefix")), now: now)
        #expect(actions.records.contains { if case .sequenceAborted = $0 { true } else { false } })
        #expect(machine.phase == .failingBack)
        #expect(machine.sequence?.steps == [.drain, .revertReadOnly("sql:main"), .revertReadOnly("apache"), .databaseReadOnly, .startReplication, .verifyReplication])
        var fixture = FailoverFixture.at(.primaryActive)
        fixture.machine = machine
        fixture.finishSequence()
        #expect(machine.dnsSite == .primary)
        #expect(fixture.machine.phase == .primaryActive && fixture.machine.readOnlyApplied.isEmpty)
        #expect(fixture.machine.phaseReason.contains("rollback complete"))
    }

    @Test("abort during a running step: the step is asked to stop, then the abort goes on (failover: rollback)")
    func abortRunningStep() {
        var fixture = FailoverFixture.failingOver()
        fixture.send(.stepSucceeded(index: 0, detail: "ok", serial: nil))  // stop-replication
        let running = fixture.machine.sequence!.index
        let asked = fixture.send(.command(OperatorCommand(.abort, reason: "hangs", by: "alice")))
        #expect(asked.replies.first?.accepted == true)
        #expect(asked.contains(.cancelStep(index: running)))
        #expect(fixture.machine.phase == .failingOver, "nothing moves until the step has ended")
        #expect(fixture.send(.command(OperatorCommand(.abort))).replies.first?.message.contains("already ending") == true)
        let ended = fixture.send(.stepFailed(index: running, message: "was ended by abort"))
        #expect(ended.records.contains { if case .stepFinished(_, running, false, let message, _) = $0 { message.contains("aborted by alice") } else { false } })
        #expect(ended.records.contains { if case .sequenceAborted = $0 { true } else { false } })
        #expect(fixture.machine.phase == .failingBack, "the rollback of what was applied")
        #expect(fixture.machine.pendingAbort == nil)
    }

    @Test("on_failure = serve: an unfixable read-only step with the primary down still moves DNS, saying what is missing; never with replication running")
    func serveOnFailure() {
        let plan = StepPlan(readOnlySteps: ["apache", "sql:main"], replication: true, resync: true, replicaReadOnly: true)
        let policy = FailoverPolicy(automaticFailback: false, holddown: .seconds(10), minFailoverInterval: .seconds(600), drain: .seconds(7),
                                    stepRetries: 1, serveOnFailure: true)
        func failingOver() -> FailoverStateMachine {
            var machine = FailoverStateMachine(plan: plan, policy: policy, now: FailoverFixture.start)
            _ = machine.handle(.site(.standby, .up, detail: ""), now: FailoverFixture.start)
            _ = machine.handle(.site(.primary, .down, detail: "refused"), now: FailoverFixture.start)
            if let round = machine.confirming {
                _ = machine.handle(.confirmation(round: round, primaryFailing: true, witnessUp: true, detail: ""), now: FailoverFixture.start)
            }
            return machine
        }
        var machine = failingOver()
        #expect(machine.phase == .failingOver)
        for index in 0..<2 { _ = machine.handle(.stepSucceeded(index: index, detail: "ok", serial: nil), now: FailoverFixture.start) }
        let failed = machine.handle(.stepFailed(index: 2, message: "configtest failed"), now: FailoverFixture.start)  // apache
        #expect(failed.records.contains { if case .servingDegraded(_, let missing) = $0 { missing == ["apache", "sql:main"] } else { false } })
        #expect(failed.steps == [.switchDNS(.standby)])
        #expect(failed.notices.contains { $0.message.contains("WITHOUT read-only step(s) apache, sql:main") })
        _ = machine.handle(.stepSucceeded(index: 4, detail: "DNS", serial: 9), now: FailoverFixture.start)
        #expect(machine.phase == .standbyActive && machine.dnsSite == .standby)
        #expect(machine.phaseReason.contains("WITHOUT read-only step(s) apache, sql:main (on_failure = serve)"))

        // The primary came back before the step gave up: halt as always.
        var up = failingOver()
        for index in 0..<2 { _ = up.handle(.stepSucceeded(index: index, detail: "ok", serial: nil), now: FailoverFixture.start) }
        _ = up.handle(.site(.primary, .up, detail: "back"), now: FailoverFixture.start)
        _ = up.handle(.stepFailed(index: 2, message: "configtest failed"), now: FailoverFixture.start)
        #expect(up.phase == .error && up.dnsSite == .primary)

        // Replication could not be stopped: serving would mix the primary's writes in. Halt.
        var replicating = failingOver()
        let stopFailed = replicating.handle(.stepFailed(index: 0, message: "STOP SLAVE failed"), now: FailoverFixture.start)
        #expect(replicating.phase == .error && stopFailed.steps.isEmpty)

        // Restored from the journal mid-way, it resumes the DNS step (not refused for missing read-only).
        var journal: [JournalRecord] = []
        var recorder = failingOver()
        func run(_ event: FailoverEvent) { journal += recorder.handle(event, now: FailoverFixture.start).records.map { JournalRecord(at: FailoverFixture.start, $0) } }
        journal = []
        recorder = FailoverStateMachine(plan: plan, policy: policy, now: FailoverFixture.start)
        run(.site(.standby, .up, detail: ""))
        run(.site(.primary, .down, detail: "refused"))
        if let round = recorder.confirming { run(.confirmation(round: round, primaryFailing: true, witnessUp: true, detail: "")) }
        run(.stepSucceeded(index: 0, detail: "ok", serial: nil))
        run(.stepSucceeded(index: 1, detail: "ok", serial: nil))
        run(.stepFailed(index: 2, message: "configtest failed"))
        let restored = FailoverStateMachine.restored(from: journal, plan: plan, policy: policy, servedSite: .primary, now: FailoverFixture.start)
        #expect(restored.actions.steps == [.switchDNS(.standby)], "\(restored.actions)")
    }

    @Test("a failed step is retried with backoff, then stops in ERROR until retry")
    func stepRetries() {
        var fixture = FailoverFixture(stepRetries: 3)
        fixture.send(.site(.primary, .up, detail: ""))
        fixture.send(.site(.standby, .up, detail: ""))
        fixture.send(.site(.primary, .down, detail: "refused"))
        fixture.send(.stepSucceeded(index: 0, detail: "ok", serial: nil))
        fixture.send(.stepFailed(index: 1, message: "AH00526: Syntax error"))
        #expect(fixture.machine.nextDeadline() == fixture.now.addingTimeInterval(1))
        fixture.send(.tick, after: 1)
        #expect(fixture.actions.steps == [.applyReadOnly("apache")])
        fixture.send(.stepFailed(index: 1, message: "AH00526: Syntax error"))
        #expect(fixture.machine.nextDeadline() == fixture.now.addingTimeInterval(2))
        fixture.send(.tick, after: 2)
        fixture.send(.stepFailed(index: 1, message: "AH00526: Syntax error"))
        #expect(fixture.machine.phase == .error)
        #expect(fixture.machine.phaseReason.contains("AH00526"))
        #expect(fixture.machine.dnsSite == .primary)
        fixture.send(.tick, after: 3600)
        #expect(fixture.actions.steps.isEmpty, "nothing runs by itself in ERROR")
        fixture.send(.command(OperatorCommand(.retry)))
        #expect(fixture.actions.steps == [.applyReadOnly("apache")])
        fixture.finishSequence()
        #expect(fixture.machine.phase == .standbyActive)
    }

    @Test("stale step results are ignored")
    func staleResults() {
        var fixture = FailoverFixture.failingOver()
        #expect(fixture.send(.stepSucceeded(index: 3, detail: "late", serial: nil)).isEmpty)
        #expect(fixture.machine.sequence?.index == 0)
    }

    @Test("journal records survive a JSON round trip")
    func journalCoding() throws {
        let fixture = FailoverFixture.failingBack()
        var all = FailoverFixture.failingOver().actions.records
        all += fixture.actions.records
        all.append(.commandRefused(OperatorCommand(.promote, force: true, reason: "x", by: "bob"), message: "no"))
        all.append(.sequenceHalted(sequence: 1, index: 2, reason: "r"))
        let records = all.map { JournalRecord(at: FailoverFixture.start, $0) }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        for record in records {
            #expect(try decoder.decode(JournalRecord.self, from: encoder.encode(record)) == record)
        }
    }
}

extension FailoverTransitionTests.Input: CustomTestStringConvertible {
    var testDescription: String { rawValue }
}

@Suite("Operator texts")
struct OperatorTextTests {
    @Test("who and why lose control characters and are cut at their limit")
    func sanitized() {
        #expect(OperatorCommand.sanitized("a\nb\r\u{1B}[31mc\u{7}") == "a b  [31mc ")
        #expect(OperatorCommand.sanitized(String(repeating: "x", count: 900)).count == 500)
        #expect(OperatorCommand.sanitized("ünïcode ok") == "ünïcode ok")
    }
}

@Suite("The machine's timers: one source for the deadline and the countdowns")
struct FailoverTimerTests {
    @Test("anti-flap shows while the primary is up but wakes nobody; with the primary down it is the deadline")
    func antiFlap() {
        var (fixture, first) = FailoverFixture.failedBack()
        let shown = fixture.machine.timers(now: fixture.now)
        #expect(shown == [FailoverTimer(name: .antiFlap, until: first.addingTimeInterval(600), actionable: false)])
        #expect(fixture.machine.nextDeadline() == nil, "nothing to wake up for while the primary is up")
        fixture.send(.site(.primary, .down, detail: "refused"), after: 30)
        #expect(fixture.machine.nextDeadline() == first.addingTimeInterval(600))
        #expect(fixture.machine.timers(now: fixture.now).map(\.name) == [.antiFlap])
    }

    @Test("drain and holddown are both shown and woken for")
    func drainAndHolddown() {
        var fixture = FailoverFixture.standbyActive()
        fixture.send(.site(.primary, .up, detail: ""), after: 1)
        let holddown = fixture.machine.timers(now: fixture.now).first { $0.name == .holddown }
        #expect(holddown?.actionable == true && holddown?.until == fixture.now.addingTimeInterval(10))
        #expect(fixture.machine.nextDeadline() == holddown?.until)
    }
}
