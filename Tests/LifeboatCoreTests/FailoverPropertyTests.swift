import Foundation
import LifeboatCore
import LifeboatTestSupport
import Testing

/// Thousands of random event sequences — health changes, witnesses, operator commands, step
/// results, time passing and crashes with a restart from the journal — run against a model of
/// the world that carries out the machine's steps, checking DESIGN.md's safety rules throughout.
@Suite("Failover state machine: invariants over random event sequences")
struct FailoverPropertyTests {
    typealias Random = SeededRandom

    /// What really is: the standby's read-only steps, DNS, the serial, and what the machine was told.
    struct World {
        var readOnly: Set<ReadOnlyStepID> = []
        var dns: SiteRole = .primary
        var serial: UInt32 = 1
        var drainedSinceDNSPrimary = true
        var journal: [JournalRecord] = []
        var pending: (index: Int, step: FailoverStep)?
        // Health as last told to the current machine (reset by a restart).
        var primary: HealthState = .unknown
        var standby: HealthState = .unknown
        var isolated = false
        var preflightFailing = false
        // The standby database: replicating from the primary, and whether it takes local writes.
        var replicating = true
        var databaseWritable = false
        // A confirmation round asked for and not yet answered.
        var confirmation: Int?
        // on_failure = serve chose to serve without some read-only steps, and said so in the journal.
        var servedDegraded = false
        var paused = false
        var automaticFailovers: [Date] = []
        // Refreshes of a dump-refreshed standby carried out.
        var refreshes = 0
        // A switchover's lowered TTL is served since this instant (nil: the configured TTL).
        var ttlLoweredAt: Date?
        // What started the failover whose DNS step put DNS at the standby.
        var servingTrigger: SequenceTrigger?
        var now = Date.distantPast
        // The serial whose propagation watch last ended (the watch tells the machine), and the one
        // being watched now (the controller starts one after each DNS step and when a drain asks).
        var settledSerial: UInt32?
        var watching: UInt32?
        // Switchovers and drills whose DNS step moved DNS to the standby, and drills that failed back.
        var plannedServed = 0
        var drillsFailedBack = 0
    }

    static let plan = StepPlan(readOnlySteps: ["apache", "sql:main", "extra:1"], replication: true, resync: true, replicaReadOnly: true)
    static let policy = FailoverPolicy(
        automaticFailback: false, holddown: .seconds(20), minFailoverInterval: .seconds(300), drain: .seconds(8), stepRetries: 2, ttlWait: .seconds(40))
    static let autoPolicy: FailoverPolicy = {
        var policy = FailoverPolicy(
            automaticFailback: true, holddown: .seconds(20), minFailoverInterval: .seconds(300), drain: .seconds(8), stepRetries: 2,
            ttlWait: .seconds(40))
        policy.drainAwaitsPropagation = true  // resolvers watched: the drain waits for the watch too
        return policy
    }()
    static let servePolicy = FailoverPolicy(
        automaticFailback: true, holddown: .seconds(20), minFailoverInterval: .seconds(300), drain: .seconds(8), stepRetries: 2,
        serveOnFailure: true, ttlWait: .seconds(40))

    /// A dump-refreshed standby (no replication; failback's resync is the refresh), refreshed every 90 s.
    static let refreshPlan = StepPlan(readOnlySteps: ["apache", "sql:main"], replication: false, resync: false, refresh: true)
    static let refreshPolicy = FailoverPolicy(
        automaticFailback: true, holddown: .seconds(20), minFailoverInterval: .seconds(300), drain: .seconds(8), stepRetries: 2,
        refresh: RefreshPolicy(schedule: .every(.seconds(90)), timeZone: TimeZone(identifier: "UTC")!, timeout: .seconds(60), maxLag: .seconds(400)))

    @Test("safety rules hold with a dump-refreshed standby: refreshes never while it serves or is read-only, nor beside another sequence")
    func refreshInvariants() async {
        var stats: [FailoverPhase: Int] = [:]
        var failovers = 0
        var refreshes = 0
        for run in 0..<1500 {
            await Task.yield()  // seconds of CPU: the tests beside it get this pool thread between runs
            let seed = 4 &* 1_000_003 &+ UInt64(run)
            let result = Self.simulate(seed: seed, events: 250, policy: Self.refreshPolicy, plan: Self.refreshPlan)
            for (phase, count) in result.phases { stats[phase, default: 0] += count }
            failovers += result.failovers
            refreshes += result.refreshes
            if !result.violations.isEmpty {
                Issue.record("seed \(seed): \(result.violations.prefix(3).joined(separator: "; "))")
                return
            }
        }
        for phase in FailoverPhase.allCases { #expect(stats[phase, default: 0] > 100, "\(phase) visited \(stats[phase, default: 0]) times") }
        // Fewer failovers than the replica's runs: refreshes take turns, and stale data holds some.
        #expect(failovers > 500, "failovers: \(failovers)")
        #expect(refreshes > 1000, "refreshes carried out: \(refreshes)")
    }

    @Test("safety rules hold", arguments: [(policy, UInt64(1)), (autoPolicy, UInt64(2)), (servePolicy, UInt64(3))])
    func invariants(policy: FailoverPolicy, seedBase: UInt64) async {
        var stats: [FailoverPhase: Int] = [:]
        var failovers = 0
        var planned = (served: 0, drillsBack: 0)
        for run in 0..<1500 {
            await Task.yield()  // seconds of CPU: the tests beside it get this pool thread between runs
            let seed = seedBase &* 1_000_003 &+ UInt64(run)
            let result = Self.simulate(seed: seed, events: 250, policy: policy)
            for (phase, count) in result.phases { stats[phase, default: 0] += count }
            failovers += result.failovers
            planned.served += result.planned.served
            planned.drillsBack += result.planned.drillsBack
            if !result.violations.isEmpty {
                Issue.record("seed \(seed): \(result.violations.prefix(3).joined(separator: "; "))")
                return
            }
        }
        // The random walk must actually reach every phase, or it proves little.
        for phase in FailoverPhase.allCases { #expect(stats[phase, default: 0] > 100, "\(phase) visited \(stats[phase, default: 0]) times") }
        #expect(failovers > 1000)
        // Switchovers and drills reach the standby and drills come back, or their rules are untested.
        #expect(planned.served > 100 && planned.drillsBack > 50, "planned moves served \(planned.served), drills failed back \(planned.drillsBack)")
    }

    static func simulate(
        seed: UInt64, events: Int, policy: FailoverPolicy, plan: StepPlan = FailoverPropertyTests.plan
    ) -> (violations: [String], phases: [FailoverPhase: Int], failovers: Int, refreshes: Int, planned: (served: Int, drillsBack: Int)) {
        var random = Random(state: seed)
        var world = World()
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        var machine = FailoverStateMachine(plan: plan, policy: policy, now: now)
        var phases: [FailoverPhase: Int] = [:]
        var failovers = 0
        var violations: [String] = []

        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { violations.append(message()) }
        }

        func carryOut(_ actions: [FailoverAction], event: FailoverEvent?) {
            for action in actions {
                switch action {
                case .journal(let record):
                    world.journal.append(record)
                    observe(record, event: event)
                case .runStep(let index, let step, _, _):
                    check(world.pending == nil, "a step was handed out while another was running")
                    world.pending = (index, step)
                case .reply(let reply):
                    if case .command(let command) = event, reply.accepted {
                        if command.kind == .pause { world.paused = true }
                        if command.kind == .resume { world.paused = false }
                    }
                case .notify:
                    break
                case .confirm(let round):
                    world.confirmation = round
                case .watchPropagation(let serial):
                    // The controller watches that switch (unless it already does); it ends some time later.
                    check(serial == world.serial, "a watch asked for serial \(serial), the zone serves \(world.serial)")
                    world.watching = serial
                case .cancelStep(let index):
                    // The running step is asked to stop; its result (either) still comes later.
                    check(world.pending?.index == index, "cancel of a step that is not running")
                }
            }
        }

        func observe(_ record: JournalRecord, event: FailoverEvent?) {
            switch record.entry {
            case .sequenceStarted(_, .failover, _, let trigger, let forced, _):
                failovers += 1
                if trigger == .switchover || trigger == .drill {
                    // Planned moves: only from a healthy primary (as the machine was last told).
                    check(world.primary == .up, "a planned move while the primary is \(world.primary)")
                }
                if trigger == .automatic {
                    if case .confirmation(_, true, true, _, nil)? = event {} else {
                        check(false, "automatic failover without a confirmation round that saw the primary fail, a witness answer and no cluster hold")
                    }
                    check(world.primary == .down, "automatic failover while the primary is \(world.primary)")
                    check(!world.paused, "automatic failover while paused")
                    if let last = world.automaticFailovers.last {
                        check(record.at.timeIntervalSince(last) >= 300, "an automatic failover \(record.at.timeIntervalSince(last))s after a completed one")
                    }
                }
                check(world.pending == nil, "a failover started while a step (\(world.pending.map { "\($0.step)" } ?? "")) still runs")
                if !forced {
                    check(world.standby == .up, "failover to a standby that is \(world.standby)")
                    check(!world.isolated, "failover while isolated")
                    check(!world.preflightFailing, "unforced failover while the preflight fails")
                }
            case .servingDegraded:
                check(policy.serveOnFailure, "served degraded without on_failure = serve")
                check(world.primary == .down, "served degraded while the primary is \(world.primary)")
                check(!world.replicating, "served degraded while the standby still replicates")
                world.servedDegraded = true
            case .sequenceFinished(let id):
                // Anti-flap counts completed automatic failovers, from their start.
                if let started = world.journal.last(where: { if case .sequenceStarted(id, .failover, _, .automatic, _, _) = $0.entry { true } else { false } }) {
                    world.automaticFailovers.append(started.at)
                }
            case .sequenceStarted(_, .refresh, _, .automatic, _, _):
                check(world.primary == .up, "scheduled refresh while the primary is \(world.primary)")
                check(!world.paused, "scheduled refresh while paused")
            case .sequenceStarted(_, .failback, _, .automatic, _, _):
                check(world.primary == .up, "automatic failback while the primary is \(world.primary)")
                check(!world.paused, "automatic failback while paused")
                check(world.servingTrigger != .switchover, "automatic failback after a switchover (it waits for an operator)")
            case .sequenceStarted(_, .failback, _, .drill, _, _):
                check(world.primary == .up && !world.paused, "a drill's failback while the primary is \(world.primary)\(world.paused ? ", paused" : "")")
                check(world.servingTrigger == .drill, "a drill's failback after a \(world.servingTrigger.map(\.rawValue) ?? "nil") failover")
                world.drillsFailedBack += 1
            case .stepFinished(_, let index, true, _, _):
                if case .stepStarted = world.journal.dropLast().last(where: { if case .stepStarted = $0.entry { true } else { false } })?.entry {} else {
                    check(false, "step \(index) finished without having been journaled as started")
                }
            default:
                break
            }
            if case .stepFinished(let id, let index, true, _, _) = record.entry,
               let steps = world.journal.last(where: { if case .sequenceStarted(id, _, _, _, _, _) = $0.entry { true } else { false } })
                   .flatMap({ if case .sequenceStarted(_, _, let steps, _, _, _) = $0.entry { steps } else { nil } }),
               steps[index] == .drain {
                world.drainedSinceDNSPrimary = true
                // With resolvers watched, read-only stays until the watch of the switch back has ended.
                // (Before any DNS change — serial 1 — there is no switch to watch.)
                check(!policy.drainAwaitsPropagation || world.serial == 1 || world.settledSerial == world.serial,
                      "drain ended before the propagation watch of serial \(world.serial) (settled: \(world.settledSerial.map(String.init) ?? "none"))")
            }
        }

        /// The world carries out the running step.
        func perform(_ step: FailoverStep) {
            switch step {
            case .switchDNS(.standby):
                check(world.readOnly.isSuperset(of: plan.readOnlySteps) || world.servedDegraded, "DNS to the standby with read-only \(world.readOnly.sorted())")
                let trigger = world.journal.last(where: { if case .sequenceStarted = $0.entry { true } else { false } })
                    .flatMap { if case .sequenceStarted(_, _, let steps, let trigger, _, _) = $0.entry { (steps, trigger) } else { nil } }
                if let (steps, trigger) = trigger {
                    world.servingTrigger = trigger
                    if trigger == .switchover || trigger == .drill { world.plannedServed += 1 }
                    if steps.contains(.lowerTTL) {
                        // Every cache holds the short TTL before DNS moves: the old TTL waited out.
                        // …unless the primary went down meanwhile (the wait ends early; visitors fail anyway).
                        let waited = world.ttlLoweredAt.map { world.now.timeIntervalSince($0) } ?? -1
                        let id = world.journal.last { if case .sequenceStarted = $0.entry { true } else { false } }
                            .flatMap { if case .sequenceStarted(let id, _, _, _, _, _) = $0.entry { id } else { nil } }
                        let wait = steps.firstIndex(of: .ttlWait)
                        let endedEarly = world.journal.contains {
                            if case .stepFinished(id, wait, true, let message, _) = $0.entry { message.contains("TTL wait ends early") } else { false }
                        }
                        check(waited >= 40 || endedEarly, "a switchover moved DNS \(waited)s after lowering the TTL (40 s needed)")
                    }
                }
                world.dns = .standby
                world.serial += 1
                world.watching = world.serial
            case .lowerTTL:
                check(world.dns == .primary, "TTL lowered while DNS points at the standby")
                if world.ttlLoweredAt == nil { world.ttlLoweredAt = world.now }
                world.serial += 1
                world.watching = world.serial
            case .restoreTTL:
                check(world.dns == .primary, "TTL restored by an abort while DNS points at the standby")
                world.ttlLoweredAt = nil
                world.serial += 1
                world.watching = world.serial
            case .switchDNS(.primary):
                world.dns = .primary
                world.ttlLoweredAt = nil
                world.servingTrigger = nil
                world.servedDegraded = false
                world.serial += 1
                world.watching = world.serial
                world.drainedSinceDNSPrimary = false
            case .stopReplication:
                world.replicating = false
            case .databaseWritable:
                check(!world.replicating, "the replica made writable while it replicates")
                world.databaseWritable = true
            case .databaseReadOnly:
                world.databaseWritable = false
            case .startReplication:
                check(!world.databaseWritable, "replication started on a writable replica")
                world.replicating = true
            case .applyReadOnly(let name):
                world.readOnly.insert(name)
            case .revertReadOnly(let name):
                check(world.dns == .primary, "read-only lifted while DNS points at the standby")
                check(world.drainedSinceDNSPrimary, "read-only lifted before the drain finished")
                world.readOnly.remove(name)
            case .refresh:
                // A refresh replaces the standby's tables: the purges and access rules with them.
                check(world.dns == .primary, "refresh while DNS points at the standby")
                check(world.drainedSinceDNSPrimary, "refresh before resolvers forgot the standby")
                check(world.readOnly.isEmpty, "refresh while read-only steps \(world.readOnly.sorted()) are applied")
                world.refreshes += 1
            default:
                break
            }
        }

        func send(_ event: FailoverEvent) {
            let before = machine.serial
            carryOut(machine.handle(event, now: now), event: event)
            if let before, let after = machine.serial {
                check(after == before || after > before, "serial went back from \(before) to \(after)")
            }
        }

        let states: [HealthState] = [.up, .up, .down, .unknown]
        for _ in 0..<events {
            phases[machine.phase, default: 0] += 1
            now += Double(random.below(4) == 0 ? random.below(400) : random.below(3)) + 0.25
            world.now = now
            switch random.below(23) {
            case 0...3:
                let state = states[random.below(states.count)]
                world.primary = state
                send(.site(.primary, state, detail: "random"))
            case 4...5:
                let state = states[random.below(states.count)]
                world.standby = state
                send(.site(.standby, state, detail: "random"))
            case 6:
                world.isolated = random.chance(30)
                send(.isolated(world.isolated))
            case 7...8:
                let kind = OperatorCommandKind.allCases[random.below(OperatorCommandKind.allCases.count)]
                send(.command(OperatorCommand(kind, force: random.chance(20), reason: "random", by: "test", now: random.chance(50))))
            case 9...14:
                guard let pending = world.pending else {
                    send(.tick)
                    break
                }
                world.pending = nil
                if random.chance(85) {
                    perform(pending.step)
                    let swap = pending.step == .refresh ? RefreshSwap(tables: 3, rows: nil, bytes: nil, dataAgeSeconds: 1) : nil
                    send(.stepSucceeded(index: pending.index, detail: "ok", serial: pending.step.isDNS ? world.serial : nil, swap: swap))
                } else {
                    send(.stepFailed(index: pending.index, message: "random failure"))
                }
            case 15...18:
                send(.tick)
            case 20...21:
                // The round's answer: the primary may have come back, the witnesses may be cut off.
                guard let round = world.confirmation else { send(.tick); break }
                if random.chance(80) { world.confirmation = nil }  // sometimes answered twice: the second is ignored
                // …and the cluster may hold it (no quorum of sites, not the leader).
                send(.confirmation(
                    round: round, primaryFailing: random.chance(70), witnessUp: random.chance(75), detail: "random",
                    heldBy: random.chance(20) ? "1 of 3 sites see the primary down (quorum 2)" : nil))
            case 19 where random.chance(40):
                // The running propagation watch ends (only one that runs can).
                guard let watching = world.watching else { send(.tick); break }
                world.watching = nil
                world.settledSerial = watching
                send(.propagationSettled(serial: watching))
            case 19:
                world.preflightFailing = random.chance(30)
                send(.preflight(problem: world.preflightFailing ? "preflight failing: random" : nil))
            default:
                // Crash: the running step may or may not have happened; restart from the journal.
                if let pending = world.pending, random.chance(50) { perform(pending.step) }
                world.pending = nil
                world.primary = .unknown
                world.standby = .unknown
                world.isolated = false
                world.preflightFailing = false  // a restarted daemon knows no verdict until its first preflight
                world.confirmation = nil
                world.watching = nil  // the watch dies with the process
                let restored = FailoverStateMachine.restored(
                    from: world.journal, plan: plan, policy: policy, servedSite: world.dns, servedTTLLowered: world.ttlLoweredAt != nil, now: now)
                machine = restored.machine
                check(machine.paused == world.paused, "pause lost in the restart")
                carryOut(restored.actions, event: nil)
            }
            if machine.sequence?.status == .running {
                check(world.pending != nil, "a sequence waits for a step result nobody will send (stuck at \(machine.sequence!.step))")
            }
            if machine.drainAwaitingPropagation {
                check(world.watching == machine.serial || world.settledSerial == machine.serial,
                      "the drain waits for the watch of serial \(machine.serial.map(String.init) ?? "-") that nobody runs (watching \(world.watching.map(String.init) ?? "none"))")
            }
            if world.dns == .standby {
                check(world.readOnly.isSuperset(of: plan.readOnlySteps) || world.servedDegraded, "DNS at the standby without read-only")
            }
            check(!(world.replicating && world.databaseWritable), "a writable replica that replicates (a local write breaks replication)")
            if machine.phase == .standbyActive || machine.phase == .failbackReady {
                check(world.dns == .standby, "\(machine.phase) but DNS at the \(world.dns)")
            }
            if machine.phase == .primaryActive {
                check(world.dns == .primary, "PRIMARY_ACTIVE but DNS at the standby")
            }
            if machine.sequence == nil {
                // What the machine believes of the TTL is what is served (it restores it on failback and abort).
                check(machine.ttlLowered == (world.ttlLoweredAt != nil), "the machine thinks the TTL \(machine.ttlLowered ? "lowered" : "configured"), it is not")
            }
            if !violations.isEmpty { break }
        }
        return (violations, phases, failovers, world.refreshes, (world.plannedServed, world.drillsFailedBack))
    }
}
