import Foundation
import Glibc
import SystemIO
import LifeboatCore
import LifeboatTestSupport
import Testing

/// Planned switchovers and drills on the lab, with the propagation watch asking two real
/// caching resolvers (Debian's unbound, a stub zone at lifeboatd each): one honours TTLs, one
/// holds every answer at least 60 s (`cache-min-ttl: 60`, the "ISPs not respecting TTLs"), and a
/// real NSD secondary whose serial is watched too.
extension LabSuites {
@Suite("Lab: switchover, drill and the propagation watch on real resolvers", .serialized)
struct PlannedMoveLabTests {
    /// A daemon watching `resolvers` (name → cache-min-ttl) and an NSD secondary.
    struct Rig {
        let daemon: LabDaemon
        let resolvers: [String: UnboundInstance]
        let secondary: NSDInstance

        static func start(_ resolvers: [(String, Int?)], options base: LabDaemon.Options = LabDaemon.Options()) async throws -> Rig {
            let ports = resolvers.map { _ in FreePort.tcpAndUDP() }
            let secondaryPort = FreePort.tcpAndUDP()
            var options = base
            options.serviceExtra = """
                switchover_ttl = "1s"
                drill_hold = "8s"
                propagation_timeout = "90s"
                resolvers = [\(zip(resolvers, ports).map { "{ name = \"\($0.0.0)\", address = \"127.0.0.1:\($0.1)\" }" }.joined(separator: ", "))]
                """
            options.dnsExtra = "notify = [\"127.0.0.1:\(secondaryPort)\"]"
            let daemon = try LabDaemon(options)
            var started: [String: UnboundInstance] = [:]
            for ((name, minTTL), port) in zip(resolvers, ports) {
                started[name] = try UnboundInstance(zone: "example.com.", stubPort: daemon.dnsPort, cacheMinTTL: minTTL, port: port)
            }
            try await daemon.start()
            let secondary = try NSDInstance(zones: ["example.com.": ""], secondaryOf: daemon.dnsPort, port: secondaryPort)
            guard await daemon.waitHealthy() else { throw DaemonError(message: "the sites never became healthy") }
            for (name, resolver) in started {
                guard await resolver.waitUntilListening() else { throw DaemonError(message: "unbound \(name) did not start: \(resolver.log)") }
            }
            guard await secondary.waitUntilAnswering("example.com.") else { throw DaemonError(message: "NSD never transferred the zone") }
            return Rig(daemon: daemon, resolvers: started, secondary: secondary)
        }

        func stop() {
            daemon.stop()
            for resolver in resolvers.values { resolver.stop() }
            secondary.stop()
        }
    }

    /// The TTL lifeboatd serves `name` A with.
    static func servedTTL(_ daemon: LabDaemon, _ name: String = "www.example.com") -> Int? {
        let line = Lab.run("/usr/bin/dig", ["+noall", "+answer", "+time=1", "+tries=1", "-p", "\(daemon.dnsPort)", "@127.0.0.1", name, "A"]).output
            .split(separator: "\n").first { !$0.hasPrefix(";") }
        return line.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first }.flatMap { Int($0) }
    }

    @Test("switchover: TTL lowered and waited out (countdown shown), then the failover; the honest resolver switches at once, the cache-min-ttl one lags by what it has left of 60 s; the secondary's serial is watched; failback restores the TTL, its drain holding read-only until the lagging resolver answers the primary")
    func switchoverWithPropagation() async throws {
        Standby.reset()
        let rig = try await Rig.start([("honest", nil), ("min-ttl-60", 60)])
        defer { rig.stop(); Standby.reset() }
        let daemon = rig.daemon
        // Before the first switch the owners are served from the zone file, with its TTL (30 s), not
        // `ttl` (5 s): that is what caches hold, so that is what the switchover must wait out.
        #expect(Self.servedTTL(daemon) == 30)
        // Visitors asked both resolvers before the maintenance: both cache the primary.
        for resolver in rig.resolvers.values { #expect(resolver.addresses(of: "www.example.com") == ["203.0.113.10"]) }
        let primed = Date()

        let start = daemon.cli("switchover", "--service", "www", "--reason", "kernel update")
        #expect(start.status == 0, "\(start.output)")
        #expect(start.output.contains("TTL lowered"), "\(start.output)")
        // The wait is shown with its countdown, while the owners are served with the short TTL.
        let waiting = await eventually(within: .seconds(5)) {
            (try? daemon.status())?.countdowns.contains { $0.name == .ttlWait } == true
        }
        #expect(waiting, "no ttl-wait countdown: \(String(describing: try? daemon.status().countdowns))")
        #expect(Self.servedTTL(daemon) == 1)
        #expect(try daemon.status().sequence?.steps.first?.name == "dns-ttl:lower")
        #expect(daemon.addresses() == ["203.0.113.10"], "DNS stays at the primary during the wait")

        // Not before the zone file's 30 s + drain_grace 2 s have passed since the TTL was lowered.
        let lowered = Date()
        #expect(await daemon.waitFor(.failbackReady, within: .seconds(60)), "\(daemon.logText.suffix(3000))")
        #expect(Date().timeIntervalSince(lowered) >= 30, "DNS moved \(Date().timeIntervalSince(lowered)) s after the TTL was lowered")
        #expect(daemon.addresses() == ["198.51.100.20"])
        #expect(Self.servedTTL(daemon) == 1, "the standby is served with the short TTL")
        let status = try daemon.status()
        #expect(status.ttlLowered == true && status.waiting?.contains("switchover: failback waits") == true, "\(status.waiting ?? "")")
        #expect(Standby.replicating() == false)

        // The watch: every second until each answers the new address (or serial).
        let watched = await eventually(within: .seconds(80)) {
            (try? daemon.status())?.propagation?.targets.allSatisfy { $0.state != "waiting" } == true
        }
        let propagation = try #require(try daemon.status().propagation)
        #expect(watched, "\(propagation)")
        #expect(propagation.site == .standby)
        let byName = Dictionary(uniqueKeysWithValues: propagation.targets.map { ($0.target.name, $0) })
        let honest = try #require(byName["honest"]?.seconds, "\(propagation)")
        let lagging = try #require(byName["min-ttl-60"]?.seconds, "\(propagation)")
        let secondary = try #require(propagation.targets.first { $0.target.kind == .secondary }?.seconds, "\(propagation)")
        #expect(honest <= 2, "the honest resolver's cache (30 s) expired during the TTL wait: \(honest) s")
        #expect(secondary <= 3, "NSD takes the NOTIFY and transfers at once: \(secondary) s")
        // The lagging one holds the primary until 60 s after it was asked.
        let switchedAfterPriming = propagation.switchedAt.timeIntervalSince(primed)
        #expect(abs(lagging - (60 - switchedAfterPriming)) <= 3, "lagged \(lagging) s; expected about \(60 - switchedAfterPriming) s")
        #expect(rig.resolvers["min-ttl-60"]!.addresses(of: "www.example.com") == ["198.51.100.20"])
        let metrics = String(decoding: try daemon.request("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("lifeboat_resolver_switched_seconds{service=\"www\",resolver=\"min-ttl-60\"}"), "\(metrics.prefix(400))")
        #expect(metrics.contains("lifeboat_ttl_lowered{service=\"www\"} 1"))
        #expect(metrics.contains("lifeboat_planned_move_active{service=\"www\",kind=\"switchover\"} 1"), "\(metrics.prefix(300))")
        let text = daemon.cli("status", "--service", "www").output
        #expect(text.contains("watch    DNS → standby") && text.contains("min-ttl-60 \(lagging) s"), "\(text)")
        let history = try daemon.history().map(\.summary)
        #expect(history.contains { $0.contains("resolver min-ttl-60") && $0.contains("answered the new addresses after") }, "\(history.prefix(8))")

        // The page with the curve of the two resolvers and the secondary (the README's picture).
        let artifacts = "\(Lab.repositoryRoot)/.build/test-artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let shot = "\(artifacts)/status-page-switchover.png"
        try? FileManager.default.removeItem(atPath: shot)
        let chromium = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]
        _ = Lab.run("/usr/bin/chromium", chromium + ["--window-size=420,1500", "--screenshot=\(shot)", "http://127.0.0.1:\(daemon.httpPort)/"],
                    timeout: .seconds(90))
        #expect(((try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0) > 10_000, "switchover screenshot")

        // Failback: as usual, and the configured TTL is back.
        let back = daemon.cli("failback", "--service", "www")
        #expect(back.status == 0, "\(back.output)")
        // The min-ttl-60 resolver still holds the standby past the drain's TTL + grace (7 s): read-only
        // stays until the watch sees it answer the primary.
        let held = await eventually(within: .seconds(30)) {
            (try? daemon.status())?.waiting?.contains("read-only stays until every watched resolver and secondary answers the primary") == true
        }
        #expect(held, "\(String(describing: try? daemon.status().waiting))")
        #expect(rig.resolvers["min-ttl-60"]!.addresses(of: "www.example.com") == ["198.51.100.20"], "it still sends visitors to the standby")
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(100)), "\(daemon.logText.suffix(3000))")
        #expect(Self.servedTTL(daemon) == 5 && daemon.addresses() == ["203.0.113.10"])
        let after = try daemon.status()
        #expect(after.ttlLowered == false)
        let backLag = try #require(after.propagation?.targets.first { $0.target.name == "min-ttl-60" }?.seconds, "\(String(describing: after.propagation))")
        let drain = try #require(after.lastSequence?.steps.first { $0.name == "drain" }?.durationMs)
        #expect(backLag > 10 && Double(drain) >= backLag * 1000 - 1500, "drain \(drain) ms, the lagging resolver answered the primary after \(backLag) s")
        print("figures: to the standby: honest \(honest) s, min-ttl-60 \(lagging) s, "
              + "secondary \(secondary) s; back to the primary: min-ttl-60 \(backLag) s, drain \(drain) ms")
    }

    @Test("drill: --dry-run applies nothing and says what each step would do; the drill fails over, serves for drill_hold and fails back by itself, refuses other moves meanwhile, and reports steps, outage → answer and propagation")
    func drill() async throws {
        Standby.reset()
        let rig = try await Rig.start([("honest", nil)])
        defer { rig.stop(); Standby.reset() }
        let daemon = rig.daemon

        let historyBefore = try daemon.history().count
        let dry = daemon.cli("drill", "--service", "www", "--dry-run")
        #expect(dry.status == 0, "\(dry.output)")
        for text in ["a drill would start now", "preflight ok", "✓ primary primary-web", "✓ standby", "✓ witness witness-web",
                     "failover readonly-apply:apache", "configtest", "failback drain: wait TTL 5s", "resolver honest (127.0.0.1:"] {
            #expect(dry.output.contains(text), "dry run lacks \"\(text)\": \(dry.output)")
        }
        #expect(try daemon.history().count == historyBefore, "a dry run journals nothing")
        #expect(try daemon.status().phase == .primaryActive && Standby.replicating())

        // The CLI follows the drill to its end (in the background here, while the test looks on).
        let cliOutput = "\(daemon.directory)/drill-cli.out"
        let cli = try ChildProcess.start(
            ["\(LabDaemon.buildDirectory)/lifeboat", "drill", "--service", "www", "--reason", "quarterly drill", "--config", daemon.config],
            outputPath: cliOutput)
        let running = await eventually(within: .seconds(10)) { (try? daemon.status())?.sequence?.trigger == .drill || daemon.addresses() == ["198.51.100.20"] }
        #expect(running, "the drill did not start: \((try? String(contentsOfFile: cliOutput, encoding: .utf8)) ?? "")")
        let refused = daemon.cli("switchover", "--service", "www")
        #expect(refused.status == 1 && refused.output.contains("under way"), "\(refused.output)")
        #expect(daemon.cli("promote", "--service", "www").status == 1, "nor a promote")

        // The standby really serves during the drill: read-only, DNS at the standby.
        let served = await eventually(within: .seconds(20)) { daemon.addresses() == ["198.51.100.20"] }
        #expect(served)
        #expect(try daemon.status().countdowns.contains { $0.name == .drillHold })
        // …and it comes back by itself after drill_hold (no holddown, no operator).
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(60)), "\(daemon.logText.suffix(3000))")
        #expect(daemon.cli("status", "--service", "www").output.contains("drill    #"), "the status line of the last drill")
        var exit: Int32 = -1
        let ended = await eventually(within: .seconds(60)) {
            var status: Int32 = 0
            guard waitpid(cli, &status, WNOHANG) == cli else { return false }
            exit = (status >> 8) & 0xFF
            return true
        }
        let followed = (try? String(contentsOfFile: cliOutput, encoding: .utf8)) ?? ""
        #expect(ended && exit == 0, "lifeboat drill exited \(exit): \(followed)")
        for text in ["drill accepted", "failover dns:standby: done in", "PASSED", "outage → answer", "DNS → primary: resolver honest"] {
            #expect(followed.contains(text), "the followed drill's output lacks \"\(text)\": \(followed)")
        }
        let reported = daemon.cli("drill", "--service", "www", "--report")
        #expect(reported.status == 0, "\(reported.output)")
        let report = try APIJSON.decoder().decode(DrillReport.self, from: try daemon.request("/api/v1/services/www/drills/last").body)
        #expect(report.outcome == "passed", "\(report)")
        let outage = try #require(report.outageToAnswerSeconds)
        #expect(outage > 0 && outage < 10, "outage → answer \(outage) s")
        let steps = report.steps.map { "\($0.direction.rawValue) \($0.step)" }
        for step in ["failover stop-replication", "failover readonly-apply:apache", "failover dns:standby", "failback dns:primary",
                     "failback drain", "failback readonly-revert:apache", "failback verify-replication"] {
            #expect(steps.contains(step), "\(steps)")
        }
        #expect(report.steps.allSatisfy { $0.success == true && ($0.seconds ?? -1) >= 0 })
        #expect(Standby.replicating() && daemon.addresses() == ["203.0.113.10"])
        // Propagation of both switches reaches the report (the failback's may still be watched).
        let both = await eventually(within: .seconds(20)) {
            let last = try? APIJSON.decoder().decode(DrillReport.self, from: try daemon.request("/api/v1/services/www/drills/last").body)
            return Set(last?.propagation.filter { $0.target.kind == .resolver }.map(\.site) ?? []) == [.standby, .primary]
        }
        #expect(both, "\(reported.output)")
        let page = String(decoding: try daemon.request("/").body, as: UTF8.self)
        #expect(page.contains("last drill") && page.contains("passed") && page.contains("propagation after the last switch"))
        // As a browser shows it (the README's picture comes from this screenshot).
        let url = "http://127.0.0.1:\(daemon.httpPort)/"
        let chromium = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]
        let dom = Lab.run("/usr/bin/chromium", chromium + ["--dump-dom", url], timeout: .seconds(90)).output
        #expect(dom.contains("<figure class=\"curve\">") && dom.contains("<p class=\"drill\">#"), "\(dom.prefix(300))")
        let artifacts = "\(Lab.repositoryRoot)/.build/test-artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let shot = "\(artifacts)/status-page-drill.png"
        try? FileManager.default.removeItem(atPath: shot)
        _ = Lab.run("/usr/bin/chromium", chromium + ["--window-size=420,1900", "--screenshot=\(shot)", url], timeout: .seconds(90))
        #expect(((try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0) > 10_000, "drill screenshot")
        let metrics = String(decoding: try daemon.request("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("lifeboat_drill_last_passed{service=\"www\"} 1"))
    }
}
}
