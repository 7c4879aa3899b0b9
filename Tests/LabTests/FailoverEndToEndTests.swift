import Foundation
import LifeboatTestSupport
import LifeboatCore
import Testing

extension LabSuites {
/// The whole failover and failback against the lab's real Apache and MariaDB, with lifeboatd
/// running `examples/lab.toml` (interval 1 s, fall 3, TTL 5 s, holddown 10 s).
@Suite("Failover end to end on the lab")
struct FailoverEndToEndTests {
    /// Read-only mode as the issue lists it, for both Drupal sites and their shared sessions.
    static func expectReadOnly(preset: String) {
        #expect(Standby.page().contains("readonly=yes"), "standby page: \(Standby.page())")
        #expect(Standby.loginPostStatus() == 503)
        // The admin allowlist (127.0.0.2 in examples/lab.toml) may still log in; Drupal's ?q=user is refused too.
        let standby = Lab.value("LAB_STANDBY_HTTP")
        let adminSessions = Standby.count("SELECT COUNT(*) FROM \(Standby.sessions) WHERE uid = 1")
        let admin = Lab.run("/usr/bin/curl", ["-s", "--interface", "127.0.0.2", "-d", "name=admin&pass=admin-pass", "-H", "Host: www.example.com", "http://\(standby)/user/login"])
        #expect(admin.output.contains("login=accepted"), "admin POST: \(admin.output)")
        #expect(Standby.count("SELECT COUNT(*) FROM \(Standby.sessions) WHERE uid = 1") == adminSessions + 1, "the admin's login made a session")
        let query = Lab.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: www.example.com", "http://\(standby)/?q=user/login"])
        #expect(query.output == "503", "?q=user/login: \(query.output)")
        #expect(Standby.count("SELECT COUNT(*) FROM \(Standby.sessions) WHERE uid <> 1") == 0, "sessions")
        #expect(Standby.count("SELECT COUNT(*) FROM \(Standby.sessions) WHERE uid = 1") >= 2, "the admin sessions of both sites kept")
        for site in Standby.sites {
            let prefix = site + "_"
            // Drupal caches pages again at once (the standby check's GET): what is cached now must be
            // what was rendered read-only, with the banner; what was cached before is gone.
            #expect(Standby.count("SELECT COUNT(*) FROM \(prefix)cache_page WHERE data NOT LIKE '%readonly-banner%'") == 0, "\(prefix)cache_page")
            if preset == "drupal6" {
                #expect(Standby.count("SELECT COUNT(*) FROM \(prefix)access WHERE mask = '%' AND type = 'user' AND status = 0") == 1, "\(prefix) D6 deny rule")
                #expect(Standby.count("SELECT COUNT(*) FROM \(prefix)access WHERE mask = 'admin' AND type = 'user' AND status = 1") == 1, "\(prefix) D6 admin rule")
            } else {
                #expect(Standby.sql("SELECT value FROM \(prefix)variable WHERE name = 'site_readonly'") == "i:1;", "\(prefix) readonlymode")
            }
        }
    }

    /// The journal names each physical table and the rows affected; the shared sessions table is
    /// purged once (by sql:main) however many sites use it.
    static func expectJournaledTables(_ daemon: LabDaemon, preset: String) throws {
        let steps = try daemon.history().map(\.summary).filter { $0.contains(" step ") && $0.contains(" done: ") }
        let main = steps.first { $0.contains("done: main: ") } ?? "", groups = steps.first { $0.contains("done: groups: ") } ?? ""
        #expect(main.range(of: #"drupal\.shared_sessions: \d+ sessions purged \(uid 1 kept\)"#, options: .regularExpression) != nil, "\(main)")
        #expect(main.range(of: #"drupal\.main_cache_page: \d+ cached pages purged"#, options: .regularExpression) != nil, "\(main)")
        #expect(groups.range(of: #"drupal\.groups_cache_page: \d+ cached pages purged"#, options: .regularExpression) != nil, "\(groups)")
        #expect(groups.contains("drupal.shared_sessions: shared, done by sql:main"), "\(groups)")
        #expect(steps.filter { $0.contains("sessions purged") }.count == 1, "shared_sessions purged once: \(steps)")
        if preset == "drupal6" {
            #expect(main.contains("drupal.main_access: access rules") && groups.contains("drupal.groups_access: access rules"), "\(main) / \(groups)")
        } else {
            #expect(main.contains("drupal.main_variable: site_readonly on") && groups.contains("drupal.groups_variable: site_readonly on"))
        }
    }

    /// Read-only lifted and replication back, after a failback.
    static func expectRestored() {
        #expect(Standby.page().contains("readonly=no"))
        #expect(Standby.loginPostStatus() == 200)
        for prefix in Standby.sites.map({ $0 + "_" }) {
            #expect(Standby.count("SELECT COUNT(*) FROM \(prefix)access") == 0, "\(prefix) access rules removed")
            #expect(Standby.sql("SELECT COUNT(*) FROM \(prefix)variable WHERE name = 'site_readonly'") == "0", "\(prefix) readonlymode off")
        }
        #expect(Standby.replicating(), "replication: \(Standby.replicaStatus())")
    }

    @Test("primary-http down: failover within fall × interval + 2 s, read-only verified; manual failback waits for `lifeboat failback`")
    func failoverAndManualFailback() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { daemon.stop(); Standby.reset() }
        #expect(daemon.addresses() == Standby.primaryAddress)
        let serialBefore = try #require(daemon.serial())
        #expect(Standby.sql("SELECT @@GLOBAL.read_only") == "1", "a replica while the primary is active")

        let outage = ContinuousClock.now
        let outageAt = Date()
        try Lab.fault(.primaryHTTP)
        let switched = await eventually(within: .seconds(8)) { daemon.addresses() == Standby.standbyAddress }
        let elapsed = ContinuousClock.now - outage
        #expect(switched, "\(daemon.logText.suffix(3000))")
        #expect(elapsed <= .seconds(3 * 1 + 2), "switched after \(elapsed)")
        #expect(try #require(daemon.serial()) > serialBefore)
        #expect(await daemon.waitFor(.standbyActive))
        Self.expectReadOnly(preset: "drupal7")
        try Self.expectJournaledTables(daemon, preset: "drupal7")
        #expect(Standby.sql("SELECT @@GLOBAL.read_only") == "0", "writable while it serves")
        // The data's age for the theme: the replica replicated (lag 0) until replication was stopped.
        let told = Standby.dataAsOf()
        let asOf = try #require(told.env, "lifeboat_data_as_of in the site's environment: \(told.page.prefix(600))")
        #expect(asOf >= outageAt.addingTimeInterval(-3) && asOf <= Date(), "data as of \(asOf), outage at \(outageAt)")
        #expect(told.header == asOf, "X-Lifeboat-Data-As-Of: \(String(describing: told.header))")
        #expect(told.page.contains("You are seeing this site as of"), "the theme's line")
        #expect(!told.page.contains("lifeboat_since=-"), "lifeboat_since is set")
        let order = try daemon.history().reversed().map(\.summary)
        let writable = order.firstIndex { $0.contains("standby database read_only = OFF") }
        let dns = order.firstIndex { $0.contains("DNS → standby") }
        #expect(writable != nil && dns != nil && writable! < dns!, "database-writable before DNS moved")

        try Lab.heal(.primaryHTTP)
        #expect(await daemon.waitFor(.failbackReady, within: .seconds(25)))
        #expect(await daemon.waitForRuns(of: "primary-web", count: 2), "two more check runs with the primary back")
        #expect(daemon.addresses() == Standby.standbyAddress, "manual failback: nothing moves by itself")
        let ready = try daemon.status()
        #expect(ready.waiting?.contains("lifeboat failback") == true)
        #expect(ready.standby.detail.contains("replication stopped on purpose"), "\(ready.standby.detail)")

        let cli = daemon.cli("failback", "--reason", "primary repaired")
        #expect(cli.status == 0, "\(cli.output)")
        #expect(await eventually(within: .seconds(5)) { daemon.addresses() == Standby.primaryAddress })
        // Drain: TTL 5 s + grace 2 s with the standby still read-only.
        #expect(Standby.page().contains("readonly=yes"), "read-only lifted before the drain ended")
        #expect(try daemon.status().sequence?.steps.first { $0.name == "drain" }?.state == .waiting)
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(40)), "\(daemon.logText.suffix(3000))")
        Self.expectRestored()
        #expect(Standby.sql("SELECT @@GLOBAL.read_only") == "1", "a replica again after failback")
        let history = try daemon.history().map(\.summary)
        #expect(history.contains { $0.contains("resync done") })
        #expect(history.contains { $0.contains("failback by e2e") || $0.contains("primary repaired") })
    }

    @Test("MySQL down alone fails over (drupal6: access rules); failback = auto comes back after the holddown")
    func mysqlDownAutomaticFailbackDrupal6() async throws {
        let daemon = try await LabDaemon.healthy(LabDaemon.Options(failback: "auto", preset: "drupal6"))
        defer { daemon.stop(); Standby.reset() }

        try Lab.fault(.primaryMySQL)
        #expect(await eventually(within: .seconds(8)) { daemon.addresses() == Standby.standbyAddress }, "\(daemon.logText.suffix(3000))")
        #expect(await daemon.waitFor(.standbyActive))
        #expect(try daemon.status().reason.contains("failover complete"))
        Self.expectReadOnly(preset: "drupal6")
        try Self.expectJournaledTables(daemon, preset: "drupal6")

        let healed = ContinuousClock.now
        try Lab.heal(.primaryMySQL)
        #expect(await eventually(within: .seconds(30)) { daemon.addresses() == Standby.primaryAddress })
        #expect(ContinuousClock.now - healed >= .seconds(10), "failback before the holddown")
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(40)), "\(daemon.logText.suffix(3000))")
        Self.expectRestored()
        let reverts = try daemon.history().map(\.summary).filter { $0.contains("access rules removed") }
        #expect(reverts.contains { $0.contains("drupal.main_access: 2 access rules removed") }, "\(reverts)")
        #expect(reverts.contains { $0.contains("drupal.groups_access: 2 access rules removed") }, "\(reverts)")
    }

    @Test("on_failure = serve: configtest keeps failing with the primary down → DNS at the standby anyway, the page names the missing steps")
    func serveOnFailure() async throws {
        let daemon = try await LabDaemon.healthy(LabDaemon.Options(
            replacements: [("admin_allow = [\"127.0.0.2\"]", "admin_allow = [\"127.0.0.2\"]\non_failure = \"serve\"")]))
        defer { daemon.stop(); Standby.reset() }
        try "ThisIsNotADirective on\n".write(toFile: Standby.brokenConf, atomically: true, encoding: .utf8)
        try Lab.fault(.primaryHTTP)
        #expect(await daemon.waitFor(.standbyActive, within: .seconds(30)), "\(daemon.logText.suffix(3000))")
        #expect(daemon.addresses() == Standby.standbyAddress)
        let status = try daemon.status()
        #expect(status.reason.contains("WITHOUT read-only step(s) apache, sql:main, sql:groups (on_failure = serve)"), "\(status.reason)")
        let page = String(decoding: try daemon.request("/").body, as: UTF8.self)
        #expect(page.contains("WITHOUT read-only step(s) apache, sql:main, sql:groups"))
        #expect(try daemon.history().contains { $0.summary.contains("on_failure = serve: DNS to the standby WITHOUT read-only step(s)") })
        #expect(Standby.sql("SELECT @@GLOBAL.read_only") == "0" && !Standby.replicating(), "replication stopped before serving")
    }

    @Test("a failed automatic failover, its cause fixed, abort: rolled back, then it fails over again without waiting for min_failover_interval")
    func failedFailoverFixedThenAgain() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { daemon.stop(); Standby.reset() }
        try "ThisIsNotADirective on\n".write(toFile: Standby.brokenConf, atomically: true, encoding: .utf8)
        try Lab.fault(.primaryHTTP)
        #expect(await daemon.waitFor(.error, within: .seconds(20)), "\(daemon.logText.suffix(3000))")
        try FileManager.default.removeItem(atPath: Standby.brokenConf)
        let abort = daemon.cli("abort", "--reason", "removed the broken include")
        #expect(abort.status == 0 && abort.output.contains("reverting"), "\(abort.output)")
        // The rollback (drain, replica read-only, replication back), then a new automatic failover.
        #expect(await daemon.waitFor(.standbyActive, within: .seconds(60)), "\(daemon.logText.suffix(3000))")
        #expect(daemon.addresses() == Standby.standbyAddress)
        let history = try daemon.history().map(\.summary)
        #expect(history.contains { $0.contains("rollback complete") }, "\(history.prefix(10))")
        #expect(try daemon.status().countdowns.contains { $0.name == .antiFlap }, "the completed one arms anti-flap")
        Self.expectReadOnly(preset: "drupal7")
    }

    @Test("a failed step (snippet rejected by configtest) stops in ERROR with DNS untouched; `lifeboat retry` completes")
    func failedStepThenRetry() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { daemon.stop(); Standby.reset() }
        let serialBefore = daemon.serial()
        try "ThisIsNotADirective on\n".write(toFile: Standby.brokenConf, atomically: true, encoding: .utf8)

        try Lab.fault(.primaryHTTP)
        #expect(await daemon.waitFor(.error, within: .seconds(20)), "\(daemon.logText.suffix(3000))")
        let status = try daemon.status()
        #expect(status.reason.contains("configtest"), "\(status.reason)")
        #expect(status.sequence?.steps.first { $0.state == .failed }?.name == "readonly-apply:apache")
        #expect(daemon.addresses() == Standby.primaryAddress)
        #expect(daemon.serial() == serialBefore)
        #expect(!FileManager.default.fileExists(atPath: Lab.value("LAB_STANDBY_FLAG_FILE")), "a rejected snippet was left in place")
        let refused = daemon.cli("status")
        #expect(refused.status == 1 && refused.output.contains("lifeboat retry"), "\(refused.output)")

        // A configuration that renames a site (a step of the halted plan) waits while the sequence
        // is stopped in ERROR: applied at once, retry failed with "unknown read-only step".
        let renamed = try String(contentsOfFile: daemon.config, encoding: .utf8).replacingOccurrences(of: "name = \"groups\"", with: "name = \"groups2\"")
        try renamed.write(toFile: daemon.config, atomically: true, encoding: .utf8)
        kill(daemon.pid, SIGHUP)
        #expect(await eventually(within: .seconds(5)) { (try? daemon.report().reloadDeferred)?.contains("stopped in ERROR") == true })
        #expect(daemon.cli("status").output.contains("reload deferred"))

        try FileManager.default.removeItem(atPath: Standby.brokenConf)
        let retry = daemon.cli("retry", "--reason", "removed the broken include")
        #expect(retry.status == 0, "\(retry.output)")
        #expect(await daemon.waitFor(.standbyActive, within: .seconds(10)), "\(daemon.logText.suffix(3000))")
        #expect(daemon.addresses() == Standby.standbyAddress)
        Self.expectReadOnly(preset: "drupal7")
        #expect(try daemon.history().contains { $0.summary.contains("done: groups: ") }, "the old plan's sql:groups ran")
        // Then the waiting configuration is applied by itself.
        #expect(await eventually(within: .seconds(10)) {
            daemon.logText.contains("config.reload.deferred.applying") && (try? daemon.report().reloadDeferred) == nil
        }, "\(daemon.logText.suffix(1500))")
        #expect(daemon.logText.contains("config.controller=replaced"))
    }
}
}
