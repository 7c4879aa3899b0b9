import Coordination
import Foundation
import Glibc
import LifeboatCore
import NIOConcurrencyHelpers
import LifeboatTestSupport
import Testing

extension LabSuites {
/// Three lifeboatd agreeing through the lab's three etcd members (`LabCluster`), against the
/// lab's real primary and standby.
@Suite("Several sites, one decision (cluster)")
struct ClusterTests {
    /// How long the broken-path test watches for a failover that must not come (the issue: 5 minutes).
    static var soak: Duration { .seconds(Int(ProcessInfo.processInfo.environment["LIFEBOAT_PARTITION_SOAK"] ?? "") ?? 300) }

    @Test("the primary really down: exactly one failover, all three DNS endpoints answer the standby within 1 s of each other, each step ran once")
    func oneFailover() async throws {
        // A plain secondary (NSD) of site-c, an observer: NOTIFY and AXFR from a site that does not lead.
        let nsdPort = FreePort.tcpAndUDP()
        let cluster = try LabCluster(dns: ["site-c": "notify = [\"127.0.0.1:\(nsdPort)\"]"])
        defer { cluster.stop(); Standby.reset() }
        try await cluster.start()
        let observer = cluster.daemon("site-c")
        let nsd = try NSDInstance(zones: ["example.com.": ""], secondaryOf: observer.dnsPort, primaryAddress: "127.0.0.13", port: nsdPort)
        defer { nsd.stop() }
        #expect(await nsd.waitUntilAnswering("example.com", timeoutSeconds: 15), "NSD never transferred the zone: \(nsd.log)")
        let leader = cluster.daemon(try #require(cluster.leaders().first))
        for daemon in cluster.daemons { #expect(daemon.addresses() == Standby.primaryAddress) }

        try Lab.fault(.primaryHTTP)
        defer { try? Lab.heal(.primaryHTTP) }
        var switched: [String: ContinuousClock.Instant] = [:]
        let all = await eventually(within: .seconds(30)) {
            for site in cluster.sites where switched[site.site] == nil && site.daemon.addresses() == Standby.standbyAddress {
                switched[site.site] = .now
            }
            return switched.count == 3
        }
        #expect(all, "switched: \(switched.keys.sorted()); leader log: \(leader.logText.suffix(3000))")
        if all {
            let spread = switched.values.max()! - switched.values.min()!
            #expect(spread <= .seconds(1), "the sites switched \(spread) apart")
        }
        #expect(await leader.waitFor(.standbyActive))
        let summaries = try LabCluster.summaries(leader)
        #expect(summaries.filter { $0.hasPrefix("failover #") && $0.contains(" started ") }.count == 1, "\(summaries)")
        // Each step done exactly once; a step may be started again after a failed try (step_retries:
        // a visitor's GET can write a cache row between the purge and its verification).
        func stepNumbers(_ marker: String) -> [String] {
            summaries.filter { $0.contains(" step ") && $0.contains(marker) }.map { String($0.split(separator: " ")[2]) }
        }
        let done = summaries.filter { $0.contains(" step ") && $0.contains(" done: ") }
        #expect(!done.isEmpty && Set(stepNumbers(" started")) == Set(stepNumbers(" done: "))
                && stepNumbers(" done: ").count == Set(stepNumbers(" done: ")).count, "each step done once: \(summaries)")
        // The followers mirror the leader's journal: the same phase and the same steps.
        for daemon in cluster.daemons where daemon !== leader {
            #expect(await daemon.waitFor(.standbyActive, within: .seconds(5)),
                    "\((try? daemon.status())?.phase.rawValue ?? "?"): \(daemon.logText.suffix(2500))")
            #expect(try LabCluster.summaries(daemon).filter { $0.contains(" step ") && $0.contains(" done: ") } == done)
        }
        let serials = Set(cluster.daemons.compactMap { $0.serial() })
        #expect(serials.count == 1, "one serial, the cluster's: \(serials)")
        // The secondary heard site-c's NOTIFY, transferred the cluster's serial and serves the standby.
        let serial = try #require(serials.first)
        #expect(await eventually(within: .seconds(10)) { nsd.serial(of: "example.com") == String(serial) }, "\(nsd.log)")
        let fromSecondary = Lab.run("/usr/bin/dig", ["+short", "+time=1", "+tries=1", "-p", "\(nsdPort)", "@127.0.0.1", "www.example.com", "A"]).output
        #expect(fromSecondary.split(separator: "\n").map(String.init) == Standby.standbyAddress)
        #expect(nsd.log.contains("notify"), "\(nsd.log)")
    }

    @Test("a broken path from the leader to the primary: no failover while the others see it up; the page shows the disagreement")
    func brokenPath() async throws {
        let cluster = try LabCluster()
        defer { cluster.stop() }
        try await cluster.start()
        let leaderSite = try #require(cluster.leaders().first)
        let leader = cluster.daemon(leaderSite)
        let address = cluster.sites.first { $0.site == leaderSite }!.address
        let table = NFTablesTable()
        let primaryMySQL = Lab.value("LAB_PRIMARY_MYSQL_PORT")
        let primaryHTTP = Lab.httpEndpoint("LAB_PRIMARY_HTTP")
        try table.drop(from: address, to: primaryHTTP.address, ports: ["\(primaryHTTP.port)", primaryMySQL])
        defer { table.remove() }

        // The leader sees the primary down, the other two see it up: the failover is held.
        let held = await eventually(within: .seconds(30)) {
            (try? leader.status().waiting)?.contains("failover held: 1 of 3 sites see the primary down (quorum 2)") == true
        }
        #expect(held, "\((try? leader.status().waiting) ?? "no status"); \(leader.logText.suffix(2000))")
        let page = String(decoding: try leader.request("/").body, as: UTF8.self)
        #expect(page.contains("1 of 3 sites see the primary down (quorum 2)") && page.contains("see it up"), "the page shows the disagreement")
        // Watch for the soak, with confirmation rounds going on (the positive sign it kept deciding).
        let started = ContinuousClock.now
        var rounds = 0
        while ContinuousClock.now - started < Self.soak {
            #expect(await leader.waitForRuns(of: "primary-web", count: 10, within: .seconds(30)))
            rounds += 10
            for daemon in cluster.daemons {
                #expect(daemon.addresses() == Standby.primaryAddress)
                #expect((try? daemon.status().phase) == .primaryActive)
            }
        }
        #expect(try LabCluster.summaries(leader).allSatisfy { !$0.hasPrefix("failover #") }, "no failover in \(Self.soak), \(rounds) checks")
        #expect(Standby.sql("SELECT @@GLOBAL.read_only") == "1", "the standby stayed a replica")
    }

    @Test("2 of 3 etcd members stopped: every site keeps answering DNS, runs no step, says coordination lost; members back: nothing moves")
    func etcdQuorumLost() async throws {
        let cluster = try LabCluster()
        defer { cluster.stop(); for member in CoordinationTests.members { CoordinationTests.etcd("start", member) } }
        try await cluster.start()
        CoordinationTests.etcd("stop", "m2")
        CoordinationTests.etcd("stop", "m3")
        let lost = await eventually(within: .seconds(20)) {
            cluster.daemons.allSatisfy { cluster.cluster(of: $0)?.coordinationLost == true }
        }
        #expect(lost, "\(cluster.daemons.map { String(describing: cluster.cluster(of: $0)) })")
        #expect(cluster.leaders().isEmpty, "nobody leads without etcd")
        for daemon in cluster.daemons {
            #expect(daemon.addresses() == Standby.primaryAddress, "DNS answers the last state")
            #expect(daemon.cli("status").status == 4)
            let metrics = String(decoding: try daemon.request("/metrics").body, as: UTF8.self)
            #expect(metrics.contains("lifeboat_coordination_lost{site=") && metrics.contains("} 1"), "\(metrics.suffix(500))")
            #expect(String(decoding: try daemon.request("/").body, as: UTF8.self).contains("COORDINATION LOST"))
        }
        // The primary down meanwhile: nobody acts on it.
        try Lab.fault(.primaryHTTP)
        let executor = cluster.daemon("site-a")
        #expect(await executor.waitFor(.primaryActive))
        #expect(await executor.waitForRuns(of: "primary-web", count: 6, within: .seconds(30)))
        for daemon in cluster.daemons {
            #expect(daemon.addresses() == Standby.primaryAddress)
            #expect(try LabCluster.summaries(daemon).allSatisfy { !$0.hasPrefix("failover #") })
        }
        try Lab.heal(.primaryHTTP)
        for daemon in cluster.daemons { #expect(await daemon.waitHealthy()) }

        CoordinationTests.etcd("start", "m2")
        CoordinationTests.etcd("start", "m3")
        let back = await eventually(within: .seconds(40)) {
            cluster.daemons.allSatisfy { cluster.cluster(of: $0)?.coordinationLost == false } && cluster.leaders().count == 1
        }
        #expect(back, "\(cluster.daemons.map { String(describing: cluster.cluster(of: $0)) })")
        #expect(await executor.waitForRuns(of: "primary-web", count: 3))
        for daemon in cluster.daemons {
            #expect(daemon.addresses() == Standby.primaryAddress)
            #expect((try? daemon.status().phase) == .primaryActive)
            #expect(try LabCluster.summaries(daemon).allSatisfy { !$0.hasPrefix("failover #") })
        }
    }

    @Test("kill -9 of the leader in the middle of a failover: the second executor leads within lease TTL + 2 s (one TTL more when etcd elects a new raft leader meanwhile) and resumes at the first unfinished step")
    func leaderKilled() async throws {
        let cluster = try LabCluster()
        defer { cluster.stop(); Standby.reset() }
        // site-a leads and kills itself right after the Apache read-only step ran, before its end is journaled.
        try await cluster.start(aFirst: true, environmentOfA: ["LIFEBOAT_TEST_CRASH_AT=readonly-apply:apache"])
        let a = cluster.daemon("site-a"), b = cluster.daemon("site-b")
        try Lab.fault(.primaryHTTP)
        defer { try? Lab.heal(.primaryHTTP) }
        let termBefore = Self.raftTerm()
        let exitStatus = a.waitForExit(within: .seconds(30)).map(Int.init)
        let died = ContinuousClock.now
        #expect(exitStatus == 128 + 9, "site-a killed at the crash point: \(a.logText.suffix(2000))")
        let took = await eventually(within: .seconds(15)) { cluster.cluster(of: b)?.leading == true }
        let handover = ContinuousClock.now - died
        let termAfter = Self.raftTerm()
        // etcd resets every lease to its full TTL when its raft leader changes (etcd #9395,
        // #13294; ETCD-NOTES), so an election during the handover adds one TTL. The likely cause
        // of a 10.35 s handover seen once on a CPU-starved CI run (not reproduced here).
        let elected = termBefore != nil && termAfter != nil && termBefore != termAfter
        let bound: Duration = elected ? .seconds(5 + 5 + 2) : .seconds(5 + 2)
        #expect(took && handover <= bound, "site-b led after \(handover); etcd raft term \(termBefore ?? "?") → \(termAfter ?? "?")")
        #expect(await b.waitFor(.standbyActive, within: .seconds(30)), "\(b.logText.suffix(3000))")
        for daemon in [b, cluster.daemon("site-c")] {
            #expect(await eventually(within: .seconds(1)) { daemon.addresses() == Standby.standbyAddress })
        }
        let summaries = try LabCluster.summaries(b)
        #expect(summaries.filter { $0.hasPrefix("failover #") && $0.contains(" started ") }.count == 1, "one sequence: \(summaries)")
        // The Apache step started twice (site-a ran it, site-b again: idempotent) and is done once;
        // every step before it ran once.
        let starts = summaries.filter { $0.contains(" step ") && $0.contains(" started") }
        let dones = summaries.filter { $0.contains(" step ") && $0.contains(" done: ") }
        #expect(starts.count == dones.count + 1, "\(summaries)")
        #expect(Set(dones).count == dones.count && dones.contains { $0.contains("DNS → standby") }, "\(summaries)")
        FailoverEndToEndTests.expectReadOnly(preset: "drupal7")
    }

    /// etcd's raft term as its first member reports it, nil when it does not answer.
    static func raftTerm() -> String? {
        guard let endpoint = CoordinationTests.endpoints.first else { return nil }
        let answer = Lab.run("curl", ["-sf", "-m", "2", "-X", "POST", "-d", "{}", "\(endpoint)/v3/maintenance/status"])
        guard answer.status == 0, let data = answer.output.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return json["raftTerm"] as? String
    }

    @Test("a command sent to a site that does not lead is carried out by the leader, journaled in etcd with who and why, seen in every site's history")
    func commandThroughLeader() async throws {
        let cluster = try LabCluster()
        defer { cluster.stop() }
        try await cluster.start()
        let leader = cluster.daemon(try #require(cluster.leaders().first))
        let observer = cluster.daemon("site-c")  // an observer never leads
        let response = try observer.command(.pause, reason: "maintenance window")
        #expect(response.accepted && response.message.contains("carried out by the leader"), "\(response.message)")
        #expect(try leader.status().paused)
        #expect(try LabCluster.summaries(leader).contains("paused by e2e: maintenance window"))
        for daemon in cluster.daemons {
            #expect(await eventually(within: .seconds(3)) { (try? LabCluster.summaries(daemon).contains("paused by e2e: maintenance window")) == true })
            #expect(await eventually(within: .seconds(3)) { (try? daemon.status().paused) == true })
        }
        let cli = observer.cli("resume", "--reason", "window over")
        #expect(cli.status == 0, "\(cli.output)")
        #expect(await eventually(within: .seconds(3)) { (try? leader.status().paused) == false })
    }

    @Test("etcd with TLS, client certificates and auth: a session leads and writes fenced; a certificate with a CommonName, a wrong password, a key outside the role are refused in etcd's words; a lifeboatd leads its cluster through it")
    func tlsAndAuth() async throws {
        let etcd = try PrivateEtcd()
        defer { etcd.stop() }
        try await etcd.start()
        let tls = EtcdTLS(caFile: etcd.caFile, clientCertificate: (etcd.certFile, etcd.keyFile))
        let user = EtcdCredentials(user: "lifeboat", password: etcd.password)
        let client = EtcdClient(endpoints: [etcd.endpoint], curl: CoordinationTests.curl, tls: tls, credentials: user)
        let session = LeaderSession(client: client, key: "/lifeboat/tls/leader", identity: "site-a", ttl: .seconds(5))
        #expect(try await session.campaign() == "site-a")
        #expect(try await session.fencedPut("/lifeboat/tls/zones/example.com.", "state"))
        #expect(try await client.get("/lifeboat/tls/zones/example.com.")?.value == "state")
        func refusal(_ body: () async throws -> Void) async -> String {
            do { try await body(); return "no error" } catch { return "\(error)" }
        }
        let outside = await refusal { try await client.put("/elsewhere/x", "y") }
        #expect(outside.contains("permission denied"), "\(outside)")
        let wrong = EtcdClient(endpoints: [etcd.endpoint], curl: CoordinationTests.curl, tls: tls,
                               credentials: EtcdCredentials(user: "lifeboat", password: "wrong"))
        let badPassword = await refusal { _ = try await wrong.get("/lifeboat/x") }
        #expect(badPassword.contains("authentication failed"), "\(badPassword)")
        let named = EtcdClient(endpoints: [etcd.endpoint], curl: CoordinationTests.curl,
                               tls: EtcdTLS(caFile: etcd.caFile, clientCertificate: (etcd.namedCertFile, etcd.namedKeyFile)), credentials: user)
        let commonName = await refusal { _ = try await named.get("/lifeboat/x") }
        #expect(commonName.contains("CommonName"), "\(commonName)")

        var options = LabDaemon.Options()
        options.extra = """
            [cluster]
            name = "tls"
            site = "site-t"
            etcd = ["\(etcd.endpoint)"]
            lease_ttl = "5s"
            quorum = 1
            ca_file = "\(etcd.caFile)"
            cert_file = "\(etcd.certFile)"
            key_file = "\(etcd.keyFile)"
            user = "lifeboat"
            password_file = "\(etcd.passwordFile)"
            """
        let daemon = try LabDaemon(options)
        defer { daemon.stop() }
        try await daemon.start()
        // The leader key is session's until its lease is revoked: then the daemon leads.
        await session.resign()
        #expect(await eventually(within: .seconds(15)) { (try? daemon.report())?.cluster?.leading == true }, "\(daemon.logText.suffix(2000))")
        #expect(!daemon.logText.contains(etcd.password), "the password is never logged")
    }

    /// The process state letter in /proc/<pid>/stat ("T" when stopped).
    static func processState(_ pid: pid_t) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].split(separator: " ").first.map(String.init)
    }

    @Test("a leader paused mid-step (SIGSTOP) and resumed after another took over: its late write is refused by the fencing token; one sequence, each step done once, no serial goes back")
    func pausedLeaderFenced() async throws {
        let cluster = try LabCluster()
        let a = cluster.daemon("site-a"), b = cluster.daemon("site-b")
        defer { if a.pid > 0 { kill(a.pid, SIGCONT) }; cluster.stop(); Standby.reset() }
        // site-a leads and stops itself right after the Apache read-only step ran, before its end is journaled.
        try await cluster.start(aFirst: true, environmentOfA: ["LIFEBOAT_TEST_CRASH_AT=readonly-apply:apache", "LIFEBOAT_TEST_CRASH_WHEN=stop"])
        // Every site's serial, sampled throughout: none may ever go back.
        let samples = NIOLockedValueBox([String: [UInt32]]())
        let sampler = Task {
            while !Task.isCancelled {
                for site in cluster.sites where site.site != "site-a" || Self.processState(a.pid) != "T" {
                    if let serial = site.daemon.serial() { samples.withLockedValue { $0[site.site, default: []].append(serial) } }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { sampler.cancel() }
        try Lab.fault(.primaryHTTP)
        defer { try? Lab.heal(.primaryHTTP) }
        #expect(await eventually(within: .seconds(30)) { Self.processState(a.pid) == "T" }, "site-a paused: \(a.logText.suffix(2000))")
        #expect(await eventually(within: .seconds(15)) { cluster.cluster(of: b)?.leading == true }, "site-b leads once site-a's lease expired")
        #expect(await b.waitFor(.standbyActive, within: .seconds(30)), "\(b.logText.suffix(3000))")
        let journal = try LabCluster.summaries(b)

        kill(a.pid, SIGCONT)
        // site-a goes on where it was: it journals the Apache step's end, and the cluster refuses it.
        #expect(await eventually(within: .seconds(10)) { a.logText.contains("cluster.journal.refused") }, "\(a.logText.suffix(3000))")
        #expect(await eventually(within: .seconds(10)) { cluster.cluster(of: a)?.leading == false && cluster.cluster(of: a)?.leader == "site-b" })
        // It now mirrors the cluster's journal, in which nothing of its late work is.
        #expect(await a.waitFor(.standbyActive, within: .seconds(10)))
        #expect(try LabCluster.summaries(b) == journal, "site-b's journal unchanged by site-a's late write")
        #expect(try LabCluster.summaries(a).filter { $0.contains(" step ") } == journal.filter { $0.contains(" step ") })
        #expect(journal.filter { $0.hasPrefix("failover #") && $0.contains(" started ") }.count == 1)
        let dones = journal.filter { $0.contains(" step ") && $0.contains(" done: ") }
        #expect(Set(dones).count == dones.count && dones.contains { $0.contains("DNS → standby") }, "\(journal)")
        #expect(await eventually(within: .seconds(2)) { a.addresses() == Standby.standbyAddress }, "site-a serves the cluster's state")
        // The standby serves read-only (the primary's Apache is down): never two writable sites.
        FailoverEndToEndTests.expectReadOnly(preset: "drupal7")
        sampler.cancel()
        for (site, serials) in samples.withLockedValue({ $0 }) {
            #expect(zip(serials, serials.dropFirst()).allSatisfy { $0 <= $1 }, "\(site)'s serial went back: \(serials)")
        }
    }
}
}
