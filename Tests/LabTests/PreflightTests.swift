import Foundation
import LifeboatTestSupport
import LifeboatCore
import Testing

extension LabSuites {
/// The read-only preflight on the lab: a wrong prefix is found before any outage, by the CLI and
/// by the running daemon, and holds an automatic failover back with the reason.
@Suite("Read-only preflight on the lab")
struct PreflightTests {
    /// The groups site's sessions pointed at a table that does not exist.
    static let wrongPrefix = LabDaemon.Options(
        extra: """
            [[notify]]
            url = "http://127.0.0.1:PORT/hook"
            """,
        replacements: [("prefix = { default = \"groups_\", users = \"shared_\", sessions = \"shared_\" }",
                        "prefix = { default = \"groups_\", users = \"shared_\", sessions = \"groupz_\" }")])

    @Test("lifeboat check: ok with the lab's layout, exit 1 naming the table and the key with a wrong prefix; tables per step in --json")
    func cli() async throws {
        let good = try LabDaemon()
        let ok = good.cli("check")
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("PREFLIGHT www: ok") && ok.output.contains("drupal.shared_sessions (shared: done by sql:main)"), "\(ok.output)")
        let json = good.cli("check", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let preflight = try #require((object["preflight"] as? [[String: Any]])?.first)
        #expect(preflight["ok"] as? Bool == true)
        let sites = try #require(preflight["sites"] as? [[String: Any]])
        #expect(sites.map { $0["step"] as? String } == ["sql:main", "sql:groups"])
        let mainTables = (sites[0]["tables"] as? [[String: Any]])?.compactMap { $0["table"] as? String } ?? []
        #expect(mainTables == ["drupal.shared_sessions", "drupal.main_cache_page", "drupal.main_system", "drupal.main_variable", "drupal.main_cache_bootstrap"])
        let shared = (sites[1]["shared"] as? [[String: Any]])?.first
        #expect(shared?["table"] as? String == "drupal.shared_sessions" && shared?["done_by"] as? String == "sql:main")
        #expect((object["checks"] as? [Any])?.count == 5)

        // readonlymode disabled on site main (written on the primary, replicated): a note, not a failure.
        _ = Standby.sql("UPDATE main_system SET status = 0 WHERE name = 'readonlymode'", on: "primary")
        defer { _ = Standby.sql("UPDATE main_system SET status = 1 WHERE name = 'readonlymode'", on: "primary") }
        #expect(await eventually(within: .seconds(10)) { Standby.sql("SELECT status FROM main_system WHERE name = 'readonlymode'") == "0" })
        let noted = good.cli("check")
        #expect(noted.status == 0 && noted.output.contains("note     site main: readonlymode not enabled: logins are refused by Apache only"), "\(noted.output)")
        #expect(!noted.output.contains("site groups: readonlymode"))

        var options = Self.wrongPrefix
        options.extra = ""
        let bad = try LabDaemon(options)
        let failing = bad.cli("check")
        #expect(failing.status == 1, "\(failing.output)")
        #expect(failing.output.contains("table drupal.groupz_sessions: missing"), "\(failing.output)")
        #expect(failing.output.contains("[service[0].readonly.site[1].prefix.sessions]"), "\(failing.output)")
    }

    @Test("the daemon finds a wrong prefix at start: status, page, metric, webhook; a failover is held with the reason; --force still runs")
    func daemon() async throws {
        let receiver = try WebhookReceiver()
        var options = Self.wrongPrefix
        options.extra = options.extra.replacingOccurrences(of: "PORT", with: "\(receiver.port)")
        let daemon = try await LabDaemon.healthy(options)
        defer { daemon.stop(); Standby.reset() }
        #expect(await eventually(within: .seconds(10)) { (try? daemon.status().preflight?.ok) == false })
        let status = try daemon.status()
        let problem = try #require(status.preflight?.problems.first)
        #expect(problem.message.contains("table drupal.groupz_sessions: missing") && problem.key == "service[0].readonly.site[1].prefix.sessions")
        #expect(status.preflight?.notes.isEmpty == true, "readonlymode is enabled in the lab")

        let cli = daemon.cli("status")
        #expect(cli.status == 1 && cli.output.contains("PREFLIGHT table drupal.groupz_sessions: missing"), "\(cli.output)")
        let page = String(decoding: try daemon.request("/").body, as: UTF8.self)
        #expect(page.contains("Preflight: table drupal.groupz_sessions: missing"), "status page")
        let metrics = String(decoding: try daemon.request("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("lifeboat_preflight_problems{service=\"www\"} 1"), "\(metrics.split(separator: "\n").filter { $0.contains("preflight") })")
        #expect(await eventually(within: .seconds(10)) { receiver.received.contains { $0.contains("\"kind\":\"preflight\"") && $0.contains("groupz_sessions") } })

        try Lab.fault(.primaryHTTP)
        #expect(await eventually(within: .seconds(10)) { (try? daemon.status().waiting)?.contains("preflight failing: table drupal.groupz_sessions") == true },
                "\(String(describing: try? daemon.status().waiting))")
        #expect(try daemon.status().phase == .primaryActive)
        #expect(daemon.addresses() == Standby.primaryAddress)

        // Forced, it runs: the wrong table fails its step and the sequence stops with DNS at the primary.
        #expect(try daemon.command(.promote, force: true).accepted)
        #expect(await daemon.waitFor(.error, within: .seconds(30)), "\(daemon.logText.suffix(2000))")
        #expect(try daemon.status().reason.contains("groupz_sessions"))
        #expect(daemon.addresses() == Standby.primaryAddress)
        #expect(FileManager.default.fileExists(atPath: Lab.value("LAB_STANDBY_FLAG_FILE")), "half read-only: the snippet is in place")

        // abort reverts what the failover applied: the standby is a replica again, whole.
        try Lab.heal(.primaryHTTP)
        let abort = daemon.cli("abort", "--reason", "wrong prefix")
        #expect(abort.status == 0 && abort.output.contains("reverting"), "\(abort.output)")
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(60)), "\(daemon.logText.suffix(2000))")
        #expect(try daemon.status().reason.contains("rollback complete"))
        #expect(!FileManager.default.fileExists(atPath: Lab.value("LAB_STANDBY_FLAG_FILE")), "snippet removed")
        #expect(!Standby.page().contains("readonly=yes"))
        #expect(Standby.sql("SELECT @@GLOBAL.read_only") == "1", "a read-only replica again")
        #expect(Standby.replicating(), "\(Standby.replicaStatus())")
        #expect(Standby.sql("SELECT COUNT(*) FROM main_variable WHERE name = 'site_readonly'") == "0", "sql:main reverted")
    }
}
}

extension LabSuites {
@Suite("Abort a running step")
struct AbortRunningStepTests {
    @Test("abort during a 60 s resync ends its process group within the grace; the failback is given up with DNS at the primary")
    func abortResync() async throws {
        let directory = NSTemporaryDirectory() + "slow-resync-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = "\(directory)/resync", pidFile = "\(directory)/pid"
        try "#!/bin/sh\necho $$ > \(pidFile)\nsleep 60\nexec \(Lab.value("LAB_RESYNC"))\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let daemon = try await LabDaemon.healthy(LabDaemon.Options(
            ttl: 1, drainGrace: "0s",
            replacements: [("resync = [\"/tmp/lifeboat-lab/bin/resync-standby\"]", "resync = [\"\(script)\"]")]))
        defer { daemon.stop(); Standby.reset() }
        #expect(try daemon.command(.promote, force: true).accepted)
        #expect(await daemon.waitFor(.standbyActive))
        #expect(try daemon.command(.failback, force: true).accepted)
        #expect(await eventually(within: .seconds(30)) { FileManager.default.fileExists(atPath: pidFile) }, "the resync never started")
        let pid = pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
        let resyncState = try daemon.status().sequence?.steps.first { $0.name == "resync" }?.state
        #expect(kill(pid, 0) == 0 && resyncState == .running)

        let asked = ContinuousClock.now
        let abort = daemon.cli("abort", "--reason", "resync hangs")
        #expect(abort.status == 0 && abort.output.contains("ending step resync"), "\(abort.output)")
        #expect(await eventually(within: .seconds(6)) { kill(pid, 0) != 0 }, "the resync's process group outlived the grace")
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(10)), "\(daemon.logText.suffix(2000))")
        #expect(ContinuousClock.now - asked < .seconds(10))
        #expect(daemon.addresses() == Standby.primaryAddress)
        let history = try daemon.history().map(\.summary)
        #expect(history.contains { $0.contains("FAILED: aborted by") && $0.contains("ended by abort") }, "\(history.prefix(8))")
        #expect(history.contains { $0.contains("aborted") })
        #expect(!Standby.replicating(), "not resynced: replication stays stopped until a resync")
    }
}
}
