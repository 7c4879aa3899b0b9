import Coordination
import LifeboatTestSupport
import Testing

/// Three executors competing for one leader key through a simulated etcd, under random time,
/// cut paths, lost answers and crashes: the steps they start never overlap, every step ends
/// before its leader's lease can expire on the server, and the writes that get through carry a
/// fencing token that never goes back.
@Suite("Leader sessions: one actor at a time, over random partitions and crashes")
struct LeaderSessionPropertyTests {
    typealias Random = SeededRandom


    static let ttl = Duration.seconds(5)

    static func run(seed: UInt64, events: Int) async throws -> (steps: Int, writes: Int, handovers: Int) {
        var random = Random(state: seed)
        let clock = SimulatedClock()
        let etcd = SimulatedEtcd(clock: clock)
        let paths = (0..<3).map { _ in SimulatedPath(etcd: etcd) }
        func session(_ index: Int) -> LeaderSession {
            LeaderSession(client: paths[index], key: "/lifeboat/test/leader", identity: "site-\(index)", ttl: ttl,
                          margin: .seconds(1), clock: { clock.now() })
        }
        var sessions = (0..<3).map(session)
        var steps: [ModelStep] = []
        var lastToken: Int64 = 0
        var writes = 0, handovers = 0
        var lastWriter: Int?
        for event in 0..<events {
            let index = random.below(3)
            switch random.below(10) {
            case 0, 1:
                clock.advance(.milliseconds(random.below(2500)))
            case 2, 3:
                _ = await sessions[index].renew()
            case 4:
                _ = try? await sessions[index].campaign()
            case 5, 6:
                // A step of up to 4 s, started only when the session says it may.
                let limit = Duration.milliseconds(100 + random.below(3900))
                let now = clock.now()
                if await sessions[index].mayStart(stepLimit: limit, now: now) {
                    let lease = try #require(await sessions[index].leadership?.lease)
                    let expiry = try #require(await etcd.expiry(of: lease), "seed \(seed) event \(event): a step on a lease already gone")
                    #expect(now + limit <= expiry, "seed \(seed) event \(event): the step would outlive the lease")
                    steps.append(ModelStep(instance: index, start: now, end: now + limit))
                }
            case 7:
                // A fenced write: only the key's holder gets through, with a token that only grows.
                if let token = await sessions[index].leadership?.token,
                   (try? await sessions[index].fencedPut("/lifeboat/test/zones/example.com.", "from \(index)")) == true {
                    #expect(token >= lastToken, "seed \(seed) event \(event): token \(token) after \(lastToken)")
                    if lastWriter != nil && lastWriter != index { handovers += 1 }
                    lastToken = token
                    lastWriter = index
                    writes += 1
                }
            case 8:
                paths[index].cut(random.below(2) == 0)
                if random.below(4) == 0 { paths[index].loseNextAnswer() }
            default:
                // A crash: the process and its session are gone; its lease lives on until it expires.
                sessions[index] = session(index)
            }
        }
        // No two instances' steps overlap in time.
        if let (earlier, later) = ModelStep.firstOverlap(steps) {
            Issue.record("seed \(seed): site-\(earlier.instance) and site-\(later.instance) acted at once")
        }
        return (steps.count, writes, handovers)
    }

    @Test("300 random histories of 300 events")
    func histories() async throws {
        var steps = 0, writes = 0, handovers = 0
        for seed in 1...300 {
            let outcome = try await Self.run(seed: UInt64(seed) &* 0x9E37_79B9, events: 300)
            steps += outcome.steps
            writes += outcome.writes
            handovers += outcome.handovers
        }
        // The histories did exercise leadership: steps started, writes landed, leaders changed.
        #expect(steps > 600 && writes > 400 && handovers > 100, "steps \(steps), writes \(writes), handovers \(handovers)")
    }
}
