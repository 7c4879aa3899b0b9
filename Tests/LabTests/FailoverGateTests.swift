import Foundation
import LifeboatTestSupport
import Glibc
import LifeboatCore
import Testing

extension LabSuites {
/// The cases where Lifeboat must not fail over: each leaves DNS and the serial as they were and
/// says why in the status.
@Suite("Failover gates on the lab: no DNS change, and the status says why")
struct FailoverGateTests {
    /// Starts a daemon, waits for health, runs `breakIt`, brings the primary down and checks that
    /// nothing moved; returns the status for the case's own assertions.
    static func primaryDownHeld(
        _ options: LabDaemon.Options = LabDaemon.Options(), breakIt: (LabDaemon) async throws -> Void
    ) async throws -> ServiceStatus {
        let daemon = try await LabDaemon.healthy(options)
        defer { daemon.stop(); Standby.reset() }
        try await breakIt(daemon)
        return try await Self.primaryDownNothingMoves(daemon)
    }

    /// Stops the primary's Apache; once the primary counts as down (and two check runs more), checks that
    /// DNS, the serial and the standby are as they were. Returns the status.
    static func primaryDownNothingMoves(_ daemon: LabDaemon) async throws -> ServiceStatus {
        let serial = daemon.serial()
        try Lab.fault(.primaryHTTP)
        #expect(await eventually(within: .seconds(8)) { (try? daemon.status().primary.state) == .down })
        #expect(await daemon.waitForRuns(of: "primary-web", count: 2), "two more runs with the primary down")
        let status = try daemon.status()
        #expect(status.phase == .primaryActive)
        #expect(daemon.addresses() == Standby.primaryAddress)
        #expect(daemon.serial() == serial)
        #expect(!Standby.page().contains("readonly=yes"))
        return status
    }

    @Test("standby down")
    func standbyDown() async throws {
        let status = try await Self.primaryDownHeld { daemon in
            try Lab.fault(.standbyHTTP)
            #expect(await eventually(within: .seconds(8)) { (try? daemon.status().standby.state) == .down })
        }
        #expect(status.waiting?.contains("standby not ready (down): standby-web: refused") == true, "\(status.waiting ?? "nil")")
    }

    @Test("witnesses down: Lifeboat is the one cut off")
    func isolated() async throws {
        let status = try await Self.primaryDownHeld { _ in try Lab.fault(.witness) }
        #expect(status.waiting?.contains("isolated: every witness is down") == true, "\(status.waiting ?? "nil")")
    }

    @Test("standby lag above max_lag")
    func standbyLagging() async throws {
        let status = try await Self.primaryDownHeld(LabDaemon.Options(maxLag: "2s")) { daemon in
            _ = Standby.sql("STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=60; START SLAVE")
            let lagging = await eventually(within: .seconds(15)) {
                _ = Standby.sql("INSERT INTO main_node (type, title) VALUES ('page', 'lag')", on: "primary")
                return (try? daemon.status().standby.state) == .down
            }
            #expect(lagging)
        }
        #expect(status.waiting?.contains("standby-db: lag_exceeded") == true, "\(status.waiting ?? "nil")")
    }

    /// At the normal pace (fast_interval = interval): the fast phase only makes the runs of a
    /// changing check come sooner; whether three failures in a row are needed is this test's point.
    @Test("a flapping primary (down two rounds, up one, repeatedly) never fails over")
    func flapping() async throws {
        var options = LabDaemon.Options()
        options.replacements = [("interval = \"1s\"", "interval = \"1s\"\nfast_interval = \"1s\"")]
        let daemon = try await LabDaemon.healthy(options)
        defer { daemon.stop(); Standby.reset() }
        let serial = daemon.serial()
        for _ in 0..<4 {
            // 1.8 s holds at most two 1 s check runs; 1.6 s at least one.
            try Lab.fault(.primaryHTTP500)
            try await Task.sleep(for: .milliseconds(1800))
            try Lab.heal(.primaryHTTP500)
            try await Task.sleep(for: .milliseconds(1600))
        }
        let status = try daemon.status()
        #expect(status.phase == .primaryActive)
        #expect(daemon.addresses() == Standby.primaryAddress)
        #expect(daemon.serial() == serial)
        let web = try #require(status.primary.checks.first { $0.name == "primary-web" })
        #expect(web.state == .up, "the primary stays up: never fall (3) failures in a row")
        #expect(web.recent.filter { !$0 }.count >= 6, "the failures show in the recent runs: \(web.recent)")
    }

    @Test("a second outage inside min_failover_interval waits for the anti-flap timer")
    func secondOutage() async throws {
        let daemon = try await LabDaemon.healthy(LabDaemon.Options(ttl: 1, drainGrace: "0s"))
        defer { daemon.stop(); Standby.reset() }
        try Lab.fault(.primaryHTTP)
        #expect(await daemon.waitFor(.standbyActive, within: .seconds(10)))
        try Lab.heal(.primaryHTTP)
        #expect(try daemon.command(.failback, force: true).accepted)
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(40)), "\(daemon.logText.suffix(2000))")
        #expect(await daemon.waitHealthy())
        let status = try await Self.primaryDownNothingMoves(daemon)
        #expect(status.waiting?.contains("anti-flap") == true, "\(status.waiting ?? "nil")")
        #expect(status.countdowns.contains { $0.name == .antiFlap && $0.until > Date().addingTimeInterval(500) })
    }
}
}
