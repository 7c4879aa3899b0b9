import Coordination
import Foundation
import LifeboatCore
import LifeboatTestSupport
import Testing

/// Three executors, each with a leader session and — while it leads — the failover machine
/// restored from the cluster's journal, through a simulated etcd with random time, cut paths,
/// lost answers, crashes and a primary that goes down and up. As the daemon does: a leader
/// writes every journal record fenced, at the end of the journal it read, before acting on
/// it; a refused or failed write makes it stand down; a step starts only when the lease allows.
/// Whatever happens, the cluster's journal tells one consistent story: no entry overwritten,
/// one sequence at a time, each step of a sequence done at most once and in order, and no two
/// instances' steps overlapping in time.
@Suite("The cluster's journal over random leaders, partitions and crashes")
struct ClusterFailoverPropertyTests {
    typealias Random = SeededRandom

    static let plan = StepPlan(readOnlySteps: ["apache", "sql:main_"], replication: true, resync: true)
    static let policy = FailoverPolicy(
        automaticFailback: true, holddown: .seconds(3), minFailoverInterval: .seconds(5), drain: .seconds(2), stepRetries: 1)
    static let prefix = "/lifeboat/test/journal/www/"
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    /// One instance: its session and, while it leads, its machine and the step it runs.
    struct Instance {
        var session: LeaderSession
        var machine: FailoverStateMachine?
        var nextIndex = 0
        var running: (index: Int, end: ContinuousClock.Instant)?
        var confirming: Int?
    }


    static func key(_ index: Int) -> String { prefix + String(format: "%010d", index) }

    static func run(seed: UInt64, events: Int) async throws -> (records: Int, sequences: Int, takeovers: Int) {
        var random = Random(state: seed)
        let clock = SimulatedClock()
        let etcd = SimulatedEtcd(clock: clock)
        let paths = (0..<3).map { _ in SimulatedPath(etcd: etcd) }
        func session(_ index: Int) -> LeaderSession {
            LeaderSession(client: paths[index], key: "/lifeboat/test/leader", identity: "site-\(index)", ttl: .seconds(5),
                          margin: .seconds(1), clock: { clock.now() })
        }
        var instances = (0..<3).map { Instance(session: session($0)) }
        var primary = HealthState.up
        var steps: [ModelStep] = []
        var takeovers = 0
        let start = clock.now()
        func date() -> Date { epoch.addingTimeInterval((clock.now() - start).timeInterval) }

        /// Carries out a leader's actions as ServiceController does; a refused write stands it down.
        func carryOut(_ index: Int, _ actions: [FailoverAction]) async {
            for action in actions {
                guard instances[index].machine != nil else { return }
                switch action {
                case .journal(let record):
                    let line = try! JournalCoding.line(record)
                    let written = (try? await instances[index].session.fencedPut([(Self.key(instances[index].nextIndex), line)])) ?? false
                    if written { instances[index].nextIndex += 1 } else { standDown(index) }
                case .runStep(let stepIndex, _, _, _):
                    let limit = Duration.milliseconds(100 + random.below(1900))
                    let now = clock.now()
                    if await instances[index].session.mayStart(stepLimit: limit, now: now) {
                        instances[index].running = (stepIndex, now + limit)
                        steps.append(ModelStep(instance: index, start: now, end: now + limit))
                    } else {
                        standDown(index)
                    }
                case .confirm(let round):
                    instances[index].confirming = round
                default:
                    break
                }
            }
        }
        func standDown(_ index: Int) {
            instances[index].machine = nil
            instances[index].running = nil
            instances[index].confirming = nil
        }
        func send(_ index: Int, _ event: FailoverEvent) async {
            guard var machine = instances[index].machine else { return }
            let actions = machine.handle(event, now: date())
            instances[index].machine = machine
            await carryOut(index, actions)
        }

        for _ in 0..<events {
            let index = random.below(3)
            switch random.below(12) {
            case 0, 1:
                clock.advance(.milliseconds(random.below(1500)))
                for other in 0..<3 { await send(other, .tick) }
            case 2:
                if await !instances[index].session.renew() { standDown(index) }
                // A leader stands down before its lease could expire (the conductor's check).
                if await !instances[index].session.mayStart(stepLimit: .zero) { standDown(index) }
            case 3:
                // A campaign; a new leader reads the journal (linearizably) and leads from it.
                _ = try? await instances[index].session.campaign()
                let leads = await instances[index].session.leadership != nil
                if !leads { standDown(index) }
                if leads, instances[index].machine == nil, let entries = try? await paths[index].list(prefix: Self.prefix) {
                    let records = entries.map { try! JournalCoding.record(Data($0.value.utf8)) }
                    let restored = FailoverStateMachine.restored(from: records, plan: Self.plan, policy: Self.policy, servedSite: nil, now: date())
                    instances[index].machine = restored.machine
                    instances[index].nextIndex = records.count
                    takeovers += 1
                    await carryOut(index, restored.actions)
                    await send(index, .isolated(false))
                    await send(index, .site(.standby, .up, detail: "all checks up"))
                    await send(index, .site(.primary, primary, detail: "model"))
                }
            case 4, 5:
                // The step ends (if its time has come): success, or now and then a failure.
                if let running = instances[index].running, clock.now() >= running.end {
                    instances[index].running = nil
                    await send(index, random.chance(90)
                        ? .stepSucceeded(index: running.index, detail: "ok", serial: nil)
                        : .stepFailed(index: running.index, message: "random failure"))
                }
            case 6:
                if let round = instances[index].confirming {
                    instances[index].confirming = nil
                    await send(index, .confirmation(
                        round: round, primaryFailing: primary == .down, witnessUp: true, detail: "model",
                        heldBy: random.chance(20) ? "1 of 3 sites see the primary down (quorum 2)" : nil))
                }
            case 7:
                primary = primary == .up ? .down : .up
                for other in 0..<3 { await send(other, .site(.primary, primary, detail: "model")) }
            case 8:
                paths[index].cut(random.below(2) == 0)
                if random.below(4) == 0 { paths[index].loseNextAnswer() }
            case 9:
                // A crash: the process, its session and its machine are gone; its lease lives on until it expires.
                instances[index] = Instance(session: session(index))
            default:
                await send(index, .tick)
            }
        }

        // The journal as etcd has it: contiguous, never overwritten, one story.
        let entries = await etcd.list(prefix: Self.prefix)
        #expect(entries.map(\.key) == (0..<entries.count).map(Self.key), "seed \(seed): a gap in the journal")
        #expect(await etcd.overwritten.filter { $0.hasPrefix(Self.prefix) }.isEmpty, "seed \(seed): a journal entry overwritten")
        let records = entries.map { try! JournalCoding.record(Data($0.value.utf8)) }
        var open: Int?
        var done: [Int: [Int]] = [:]
        var sequences = 0
        for record in records {
            switch record.entry {
            case .sequenceStarted(let id, _, _, _, _, _):
                #expect(open == nil, "seed \(seed): sequence #\(id) started while #\(open ?? 0) was under way")
                #expect(done[id] == nil, "seed \(seed): sequence #\(id) started twice")
                open = id
                done[id] = []
                sequences += 1
            case .stepFinished(let id, let stepIndex, true, _, _):
                #expect(id == open, "seed \(seed): a step of #\(id) done outside it")
                #expect((done[id]?.last ?? -1) < stepIndex, "seed \(seed): #\(id) step \(stepIndex) done again or out of order: \(done[id] ?? [])")
                done[id, default: []].append(stepIndex)
            case .sequenceFinished(let id), .sequenceAborted(let id, _, _):
                #expect(id == open, "seed \(seed): #\(id) ended while #\(open ?? 0) was under way")
                open = nil
            default:
                break
            }
        }
        if let (earlier, later) = ModelStep.firstOverlap(steps) {
            Issue.record("seed \(seed): site-\(earlier.instance) and site-\(later.instance) ran steps at once")
        }
        return (records.count, sequences, takeovers)
    }

    @Test("300 random histories of 400 events")
    func histories() async throws {
        var records = 0, sequences = 0, takeovers = 0
        for seed in 1...300 {
            let outcome = try await Self.run(seed: UInt64(seed) &* 0x2545_F491_4F6C_DD1D, events: 400)
            records += outcome.records
            sequences += outcome.sequences
            takeovers += outcome.takeovers
        }
        // The histories did exercise the cluster: sequences ran, leaders took over mid-way.
        #expect(sequences > 100 && takeovers > 700 && records > 1000, "records \(records), sequences \(sequences), takeovers \(takeovers)")
    }
}
