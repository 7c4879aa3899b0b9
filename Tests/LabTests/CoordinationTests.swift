import Coordination
import DNSAuthority
import DomainNames
import Logging
import Foundation
import LifeboatCore
import LifeboatTestSupport
import NativeClients
import Testing

extension LabSuites {
/// The etcd client and the leader session against the lab's three real etcd members.
@Suite("Coordination through etcd")
struct CoordinationTests {
    static let curl = try! CurlMulti()
    static var endpoints: [String] { Lab.value("LAB_ETCD_ENDPOINTS").split(separator: ",").map(String.init) }
    static func client(timeout: Duration = .seconds(2)) -> EtcdClient { EtcdClient(endpoints: endpoints, curl: curl, timeout: timeout) }
    static func prefix() -> String { "/lifeboat-test/\(UUID().uuidString)/" }

    /// The lab's etcd members (`LAB_ETCD_MEMBERS`).
    static var members: [String] { Lab.value("LAB_ETCD_MEMBERS").split(separator: " ").map(String.init) }

    static func etcd(_ command: String, _ member: String) {
        _ = Lab.run("\(Lab.repositoryRoot)/scripts/lab", ["etcd", command, member])
    }

    /// Starts any stopped member and waits until all three say they are healthy: a test that
    /// stops members begins from a whole cluster, whatever ran before it.
    static func wholeCluster() async -> Bool {
        for member in members { etcd("start", member) }
        let healthy = await eventually(within: .seconds(30)) {
            Lab.run("\(Lab.repositoryRoot)/scripts/lab", ["etcd", "status"]).status == 0
        }
        // Healthy members may still be settling an election: wait until a write goes through.
        return healthy ? await write(client(), prefix() + "settled", "yes", within: .seconds(10)) : false
    }

    /// Reads until a read succeeds or `limit` passes (a restarted member's election may be under way).
    static func read(_ client: EtcdClient, _ key: String, within limit: Duration) async -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            do { return try await client.get(key)?.value } catch {}
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test("a key on a lease lives while the lease is kept alive and goes with it; a dead lease is lease_lost")
    func leases() async throws {
        let client = Self.client()
        let key = Self.prefix() + "k"
        let lease = try await client.grantLease(ttl: .seconds(3))
        try await client.put(key, "value", lease: lease)
        #expect(try await client.get(key)?.value == "value")
        #expect(try await client.get(key)?.lease == lease)
        #expect(try await client.keepAlive(lease) > 0)
        try await client.revoke(lease)
        #expect(try await client.get(key) == nil, "revoking the lease deletes its keys")
        await #expect(throws: CoordinationError.self) { try await client.keepAlive(lease) }
        do { try await client.keepAlive(lease) } catch { #expect(error.kind == .leaseLost) }
    }

    @Test("one leader of two; the other sees who; after a handover the old leader's fenced writes are refused")
    func leaderAndFencing() async throws {
        let client = Self.client()
        let base = Self.prefix()
        let a = LeaderSession(client: client, key: base + "leader", identity: "site-a", ttl: .seconds(3))
        let b = LeaderSession(client: client, key: base + "leader", identity: "site-b", ttl: .seconds(3))
        #expect(try await a.campaign() == "site-a")
        #expect(try await b.campaign() == "site-a", "b sees who leads")
        let first = try #require(await a.leadership)
        #expect(await b.leadership == nil)
        #expect(try await a.fencedPut(base + "state", "from a"))
        #expect(await a.mayStart(stepLimit: .milliseconds(500)))
        #expect(!(await a.mayStart(stepLimit: .seconds(10))), "a step longer than the lease may not start")
        // a stops renewing (cut off); b keeps its own lease alive and takes over once a's expires.
        #expect(try await Self.takeOver(b, as: "site-b"), "b takes over once a's lease has run out")
        let second = try #require(await b.leadership)
        #expect(second.token > first.token, "the fencing token only grows")
        #expect(!(await a.mayStart(stepLimit: .zero)), "a's lease ran out: it starts nothing")
        #expect(try await !a.fencedPut(base + "state", "late from a"), "a's late write is refused")
        #expect(try await b.fencedPut(base + "state", "from b"))
        #expect(try await client.get(base + "state")?.value == "from b")
        await b.resign()
        #expect(try await client.get(base + "leader") == nil)
    }

    @Test("each site's verdict lives on its lease; the quorum is decided from what is published")
    func observations() async throws {
        let client = Self.client()
        let cluster = "test-\(UUID().uuidString)"
        let board = ObservationBoard(client: client, cluster: cluster, service: "www")
        let a = LeaderSession(client: client, key: "/lifeboat/\(cluster)/leader", identity: "site-a", ttl: .seconds(5))
        let b = LeaderSession(client: client, key: "/lifeboat/\(cluster)/leader", identity: "site-b", ttl: .seconds(5))
        let now = Date()
        try await board.publish(SiteObservation(site: "site-a", verdict: .down, at: now, detail: "primary-web: refused"), lease: try await a.sessionLease())
        try await board.publish(SiteObservation(site: "site-b", verdict: .up, at: now, detail: "all checks up"), lease: try await b.sessionLease())
        let seen = try await board.all()
        #expect(seen.map(\.site) == ["site-a", "site-b"] && seen[0].detail == "primary-web: refused")
        let split = QuorumDecision(observations: seen, sites: ["site-a", "site-b", "site-c"], quorum: 2, freshness: 10, now: Date())
        #expect(!split.allowsFailover && split.summary.hasPrefix("1 of 3 sites see the primary down (quorum 2); site-b sees it up"))
        await b.resign()  // site-b gone: its verdict goes with its lease
        #expect(try await board.all().map(\.site) == ["site-a"])
        await a.resign()
        #expect(try await board.all().isEmpty)
    }

    @Test("the leader's zone state is read by every site; after a handover the old leader's late state is refused")
    func zoneState() async throws {
        let client = Self.client()
        let cluster = "test-\(UUID().uuidString)"
        let board = ZoneStateBoard(client: client, cluster: cluster)
        let a = LeaderSession(client: client, key: "/lifeboat/\(cluster)/leader", identity: "site-a", ttl: .seconds(3))
        let b = LeaderSession(client: client, key: "/lifeboat/\(cluster)/leader", identity: "site-b", ttl: .seconds(3))
        #expect(try await a.campaign() == "site-a")
        let failover = PublishedZoneState(serial: 8, overrides: ["www.example.com.": .init(addresses: ["198.51.100.20"], ttl: 5)])
        #expect(try await board.publish(failover, zone: "example.com.", as: a))
        #expect(try await board.publish(failover, zone: "example.com.", as: b) == false, "b does not lead: nothing written")
        #expect(try await board.read(zone: "example.com.") == failover)
        // a is cut off; b takes over after a's lease runs out and publishes the failback.
        #expect(try await Self.takeOver(b, as: "site-b"), "b takes over once a's lease has run out")
        let failback = PublishedZoneState(serial: 9, overrides: [:])
        #expect(try await board.publish(failback, zone: "example.com.", as: b))
        let late = PublishedZoneState(serial: 10, overrides: ["www.example.com.": .init(addresses: ["198.51.100.20"], ttl: 5)])
        #expect(try await board.publish(late, zone: "example.com.", as: a) == false, "a's late write is fenced off")
        #expect(try await board.read(zone: "example.com.") == failback)
        await b.resign()
    }

    @Test("a follower serves what the leader publishes; without quorum it keeps the last state and says coordination is lost; then resumes")
    func follower() async throws {
        #expect(await Self.wholeCluster())
        let client = Self.client(timeout: .seconds(1))
        let cluster = "test-\(UUID().uuidString)"
        let board = ZoneStateBoard(client: client, cluster: cluster)
        let directory = NSTemporaryDirectory() + "lifeboat-follower-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/zones", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(Lab.repositoryRoot)/zones/example.com.zone", toPath: directory + "/zones/example.com.zone")
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            Self.etcd("start", "m1")
            Self.etcd("start", "m2")
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let authority = try ZoneAuthority(zonesDirectory: directory + "/zones", stateDirectory: directory + "/state", logger: logger)
        let follower = ZoneFollower(board: board, zones: ["example.com."], interval: .milliseconds(100), lostAfter: .seconds(1)) { zone, state in
            try await authority.adopt(state, for: DNSName(zone)!)
        }
        let leader = LeaderSession(client: client, key: "/lifeboat/\(cluster)/leader", identity: "site-a", ttl: .seconds(5))
        #expect(try await leader.campaign() == "site-a")
        let failover = PublishedZoneState(serial: 2026112450, overrides: ["www.example.com.": .init(addresses: ["198.51.100.20"], ttl: 30)])
        #expect(try await board.publish(failover, zone: "example.com.", as: leader))
        await follower.poll()
        #expect(await authority.publishedState(of: DNSName("example.com.")!) == failover)
        #expect(follower.status.serials["example.com."] == 2026112450 && !follower.status.coordinationLost)

        Self.etcd("stop", "m1")
        Self.etcd("stop", "m2")
        var lost = false
        let deadline = ContinuousClock.now + .seconds(15)
        while !lost && ContinuousClock.now < deadline {
            await follower.poll()
            lost = follower.status.coordinationLost
        }
        #expect(lost, "\(follower.status)")
        #expect(await authority.publishedState(of: DNSName("example.com.")!) == failover, "the last state is still served")

        Self.etcd("start", "m1")
        Self.etcd("start", "m2")
        var back = false
        let again = ContinuousClock.now + .seconds(20)
        while !back && ContinuousClock.now < again {
            await follower.poll()
            back = !follower.status.coordinationLost && follower.status.lastError == nil
            if !back { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(back, "\(follower.status)")
        // The leader (its lease may have run out meanwhile) publishes the failback; the follower takes it.
        var published = false
        while !published && ContinuousClock.now < again {
            _ = await leader.renew()
            _ = try? await leader.campaign()
            published = (try? await board.publish(PublishedZoneState(serial: 2026112451, overrides: [:]), zone: "example.com.", as: leader)) == true
        }
        #expect(published)
        await follower.poll()
        #expect(await authority.publishedState(of: DNSName("example.com.")!)?.serial == 2026112451)
        #expect(await authority.servedAddresses(of: DNSName("www.example.com.")!) == [[203, 0, 113, 10], [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10]].sorted { $0.lexicographicallyPrecedes($1) })
        await leader.resign()
        #expect(await Self.wholeCluster(), "the cluster is whole again for the next test")
    }

    @Test("a member down: calls go to the others; two down: writes fail as no_quorum within the timeout, serializable reads answer")
    func membersDown() async throws {
        #expect(await Self.wholeCluster())
        let client = Self.client(timeout: .seconds(1))
        let key = Self.prefix() + "k"
        defer {
            Self.etcd("start", "m1")
            Self.etcd("start", "m2")
        }
        #expect(await Self.write(client, key, "before", within: .seconds(8)))
        Self.etcd("stop", "m1")
        // If m1 led the raft group, writes wait for an election (1-2 s here): the calls move on
        // to the other members and succeed once it is over.
        #expect(await Self.write(client, key, "one down", within: .seconds(8)))
        #expect(await Self.read(client, key, within: .seconds(8)) == "one down")
        Self.etcd("stop", "m2")
        let started = ContinuousClock.now
        do {
            try await client.put(key, "two down")
            Issue.record("a write without quorum succeeded")
        } catch {
            #expect(error.kind == .noQuorum || error.kind == .unreachable, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(6), "bounded by the call timeout per endpoint")
        // Once the last member has noticed it has no leader (a write says so at once), a
        // serializable read must still answer: it is what a site cut off from quorum can know.
        #expect(await Self.noticedNoLeader(client, key, within: .seconds(10)))
        #expect(try await client.get(key, serializable: true)?.value == "one down", "the last state, read where it is")
        #expect(await Self.wholeCluster())
        #expect(await Self.write(client, key, "back", within: .seconds(10)))
        #expect(await Self.read(client, key, within: .seconds(8)) == "back")
    }

    /// Writes until a member answers "no leader" (it has noticed the lost quorum) or `limit` passes.
    static func noticedNoLeader(_ client: EtcdClient, _ key: String, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            do throws(CoordinationError) {
                try await client.put(key, "no quorum")
                return false
            } catch {
                if error.message.contains("no leader") { return true }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Campaigns with `session` (keeping its own lease alive) until it leads, for up to 10 s.
    static func takeOver(_ session: LeaderSession, as identity: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            _ = await session.renew()
            if try await session.campaign() == identity { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// Writes until a write succeeds or `limit` passes.
    static func write(_ client: EtcdClient, _ key: String, _ value: String, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if (try? await client.put(key, value)) != nil { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
}
