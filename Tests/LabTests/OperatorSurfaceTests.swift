import Foundation
import LifeboatTestSupport
import Glibc
import LifeboatCore
import NativeClients
import Testing

extension LabSuites {
/// How operators meet Lifeboat: the API with its token, the CLI, the status page in a real
/// browser, /metrics through a real Prometheus parser, webhooks, systemd's notify protocol.
@Suite("Operator surface: API, CLI, status page, metrics, webhooks, sd_notify")
struct OperatorSurfaceTests {
    /// A raw API call: status code and body as text.
    static func call(_ daemon: LabDaemon, _ path: String, post: String? = nil, authorization: String? = nil) throws -> (Int, String) {
        let (status, body) = try daemon.request(path, post: post, authorization: authorization)
        return (status, String(decoding: body, as: UTF8.self))
    }

    static func json(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    @Test("API: no token 401, wrong token 403, every command with the right one; errors are JSON")
    func apiAuthAndCommands() async throws {
        let daemon = try await LabDaemon.healthy(LabDaemon.Options(ttl: 1, drainGrace: "0s"))
        defer { daemon.stop(); Standby.reset() }
        let body = "{\"force\": false, \"reason\": \"api test\"}"

        let (none, noneBody) = try Self.call(daemon, "/api/v1/services/www/pause", post: body)
        #expect(none == 401 && Self.json(noneBody)?["error"] != nil, "\(noneBody)")
        let (wrong, wrongBody) = try Self.call(daemon, "/api/v1/services/www/pause", post: body, authorization: "Bearer not-the-token")
        #expect(wrong == 403 && Self.json(wrongBody)?["error"] as? String == "wrong token")
        #expect(try daemon.status().paused == false, "refused calls change nothing")

        let token = try LabDaemon.authorization()
        func command(_ name: String, force: Bool = false) throws -> (Int, [String: Any]) {
            let (code, text) = try Self.call(daemon, "/api/v1/services/www/\(name)", post: "{\"force\": \(force), \"reason\": \"api test\"}", authorization: token)
            return (code, Self.json(text) ?? [:])
        }
        #expect(try command("pause").0 == 200)
        #expect(try daemon.status().paused)
        #expect(try command("resume").1["accepted"] as? Bool == true)
        let refusedRetry = try command("retry")
        #expect(refusedRetry.0 == 409 && refusedRetry.1["accepted"] as? Bool == false && (refusedRetry.1["message"] as? String)?.contains("nothing to retry") == true)
        #expect(try command("abort").0 == 409)
        #expect(try command("promote").1["phase"] as? String == "FAILING_OVER")
        #expect(await daemon.waitFor(.standbyActive))
        let failback = try command("failback")
        #expect(failback.0 == 409, "the holddown gate holds an unforced failback: \(failback.1)")
        #expect(try command("failback", force: true).0 == 200)
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(40)))

        let (unknownService, unknownServiceBody) = try Self.call(daemon, "/api/v1/services/nope/pause", post: body, authorization: token)
        #expect(unknownService == 404 && (Self.json(unknownServiceBody)?["error"] as? String)?.contains("nope") == true)
        let (unknownCommand, unknownCommandBody) = try Self.call(daemon, "/api/v1/services/www/explode", post: body, authorization: token)
        #expect(unknownCommand == 404 && (Self.json(unknownCommandBody)?["error"] as? String)?.contains("one of promote") == true)
        let (badBody, badBodyText) = try Self.call(daemon, "/api/v1/services/www/pause", post: "{not json", authorization: token)
        #expect(badBody == 400 && Self.json(badBodyText)?["error"] != nil)
        let (badLimit, _) = try Self.call(daemon, "/api/v1/history?limit=0")
        #expect(badLimit == 400)
        // A known path with the wrong method: 405 with Allow.
        let deleteStatus = Lab.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-D", "-", "-X", "DELETE", "http://127.0.0.1:\(daemon.httpPort)/api/v1/status"]).output
        #expect(deleteStatus.contains(" 405") && deleteStatus.lowercased().contains("allow: get, head"), "\(deleteStatus)")
        let getCommand = Lab.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-D", "-", "http://127.0.0.1:\(daemon.httpPort)/api/v1/services/www/pause"]).output
        #expect(getCommand.contains(" 405") && getCommand.lowercased().contains("allow: post"), "\(getCommand)")
        // Control characters in who and why never reach a log line or the journal.
        let (sneaky, _) = try Self.call(daemon, "/api/v1/services/www/resume",
                                        post: #"{"reason": "line1\nforged log line\u001b[31m", "by": "mallory\r\nx"}"#, authorization: token)
        #expect(sneaky == 200 || sneaky == 409)
        #expect(!daemon.logText.contains("\nforged log line"), "a newline from the API reached the log")
        let history = try daemon.history()
        #expect(history.contains { $0.kind == .command && $0.summary.contains("refused") }, "refusals are journaled")
        #expect(history.contains { $0.summary.contains("paused by e2e") || $0.summary.contains("paused by api") })
    }

    @Test("/metrics passes promtool and has the expected families")
    func metrics() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { daemon.stop(); Standby.reset() }
        _ = daemon.addresses()
        _ = daemon.addresses("nope.example.com")
        let (code, text) = try Self.call(daemon, "/metrics")
        #expect(code == 200)
        let file = daemon.directory + "/metrics.txt"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let check = Lab.run("/bin/sh", ["-c", "promtool check metrics < \(file)"])
        #expect(check.status == 0, "\(check.output)")
        for family in [
            "lifeboat_check_duration_seconds_bucket{check=\"www/primary/primary-web\"", "lifeboat_check_runs_total{check=\"www/primary/primary-web\",result=\"ok\"}",
            "lifeboat_service_state{service=\"www\",state=\"PRIMARY_ACTIVE\"} 1", "lifeboat_zone_serial{zone=\"example.com.\"}",
            "lifeboat_dns_queries_total{protocol=\"udp\",rcode=\"NOERROR\"}", "lifeboat_dns_queries_total{protocol=\"udp\",rcode=\"NXDOMAIN\"} 1",
            "lifeboat_site_up{service=\"www\",site=\"standby\"} 1", "lifeboat_isolated 0",
        ] {
            #expect(text.contains(family), "missing \(family)")
        }
        _ = try daemon.command(.promote, force: true)
        #expect(await daemon.waitFor(.standbyActive))
        let (_, after) = try Self.call(daemon, "/metrics")
        #expect(after.contains("lifeboat_failovers_total{service=\"www\"} 1"))
        #expect(after.contains("lifeboat_step_duration_seconds_count{service=\"www\",step=\"dns:standby\",result=\"ok\"} 1"))
    }

    @Test("the CLI against a running daemon: every subcommand, --json parsed")
    func cli() async throws {
        let daemon = try await LabDaemon.healthy(LabDaemon.Options(ttl: 1, drainGrace: "0s"))
        defer { daemon.stop(); Standby.reset() }
        func run(_ arguments: String...) -> (Int32, String) {
            let result = Lab.run("\(LabDaemon.buildDirectory)/lifeboat", arguments + ["--config", daemon.config])
            return (result.status, result.output)
        }
        func object(_ text: String) -> [String: Any]? { Self.json(text) }

        let status = run("status", "--json")
        #expect(status.0 == 0 && (object(status.1)?["services"] as? [[String: Any]])?.first?["phase"] as? String == "PRIMARY_ACTIVE", "\(status.1)")
        let table = run("status")
        #expect(table.0 == 0 && table.1.contains("www  PRIMARY_ACTIVE") && table.1.contains("primary  up"), "\(table.1)")
        // Without $USER (cron, systemd): the journal names the uid's login name, not a placeholder.
        let anonymous = Lab.run("/usr/bin/env", ["-u", "USER", "-u", "SUDO_USER", "\(LabDaemon.buildDirectory)/lifeboat", "pause", "--json", "--reason", "cli test", "--config", daemon.config])
        #expect(object(anonymous.output)?["accepted"] as? Bool == true, "\(anonymous.output)")
        let pausedBy = run("history").1
        #expect(pausedBy.contains("by root@") && !pausedBy.contains("someone@"), "\(pausedBy.prefix(600))")
        #expect(object(run("resume", "--json").1)?["accepted"] as? Bool == true)
        let retry = run("retry", "--json")
        #expect(retry.0 == 1 && object(retry.1)?["accepted"] as? Bool == false, "\(retry.1)")
        let abort = run("abort")
        #expect(abort.0 == 1 && abort.1.contains("REFUSED"), "\(abort.1)")
        #expect(run("promote", "--service", "www", "--reason", "cli").0 == 0)
        #expect(await daemon.waitFor(.standbyActive))
        let demote = run("demote", "--json")
        #expect(demote.0 == 1 && (object(demote.1)?["message"] as? String)?.contains("--force") == true, "\(demote.1)")
        #expect(run("failback", "--force", "--json").0 == 0)
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(40)))
        let history = run("history", "--json", "--limit", "500")
        let entries = (try? JSONSerialization.jsonObject(with: Data(history.1.utf8))) as? [[String: Any]]
        #expect(history.0 == 0 && (entries?.count ?? 0) > 10, "\(history.1.prefix(300))")
        #expect(run("history").1.contains("promote by"))
        let check = run("check", "--json")
        let checked = object(check.1)
        #expect(check.0 == 0 && (checked?["checks"] as? [Any])?.count == 5, "\(check.1.prefix(300))")
        #expect((checked?["preflight"] as? [[String: Any]])?.first?["ok"] as? Bool == true, "\(check.1.suffix(600))")
        let config = run("config", "check", "--json")
        #expect(config.0 == 0 && object(config.1)?["ok"] as? Bool == true, "\(config.1)")
        let zone = Lab.run("\(LabDaemon.buildDirectory)/lifeboat", ["zone", "check", "\(Lab.repositoryRoot)/zones/example.com.zone"])
        #expect(zone.status == 0 && zone.output.hasPrefix("ok: example.com."), "\(zone.output)")
        let unknown = run("pause", "--service", "nope")
        #expect(unknown.0 == 2 && unknown.1.contains("no service named"), "\(unknown.1)")
        daemon.stop()
        let down = run("status")
        #expect(down.0 == 3 && down.1.contains("cannot reach lifeboatd") && down.1.contains("Is it running?"), "\(down.1)")
    }

    @Test("the status page in headless Chromium during a failover and after the failback: state, active site, pictures (screenshots kept)")
    func statusPageInChromium() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { daemon.stop(); Standby.reset() }
        try Lab.fault(.primaryHTTP)
        #expect(await daemon.waitFor(.standbyActive, within: .seconds(15)))
        let url = "http://127.0.0.1:\(daemon.httpPort)/"
        let chromium = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]
        let dom = Lab.run("/usr/bin/chromium", chromium + ["--dump-dom", url], timeout: .seconds(90))
        #expect(dom.output.contains("id=\"service-www\""), "\(dom.output.prefix(500))")
        #expect(dom.output.contains("data-phase=\"STANDBY_ACTIVE\" data-active-site=\"standby\""))
        #expect(dom.output.contains("<span class=\"phase\">STANDBY_ACTIVE</span>"))
        #expect(dom.output.contains("<strong class=\"active-site\">standby</strong>"))
        #expect(dom.output.contains("primary-web: refused"), "why the primary is down")
        let artifacts = "\(Lab.repositoryRoot)/.build/test-artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let shot = "\(artifacts)/status-page-failover.png"
        try? FileManager.default.removeItem(atPath: shot)
        let screenshot = Lab.run("/usr/bin/chromium", chromium + ["--window-size=420,1400", "--screenshot=\(shot)", url], timeout: .seconds(90))
        let size = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot: \(screenshot.output.suffix(300))")
        // The pictures, as the browser has them: the strip, the finished failover's steps, sparklines.
        #expect(dom.output.contains("<figure class=\"strip\">"), "the 24-hour strip")
        #expect(dom.output.contains("last failover (automatic): steps by duration"), "the finished failover's timeline")
        #expect(dom.output.contains("<svg class=\"spark\""), "the checks' sparklines")

        // And after: failed back, the page shows the failback's steps and the primary's green span.
        try Lab.heal(.primaryHTTP)
        #expect(try daemon.command(.failback, force: true).accepted)
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(60)), "\(daemon.logText.suffix(2000))")
        let after = Lab.run("/usr/bin/chromium", chromium + ["--dump-dom", url], timeout: .seconds(90))
        #expect(after.output.contains("data-phase=\"PRIMARY_ACTIVE\""))
        #expect(after.output.contains("last failback (operator): steps by duration"), "\(after.output.prefix(300))")
        let afterShot = "\(artifacts)/status-page-after-failback.png"
        try? FileManager.default.removeItem(atPath: afterShot)
        _ = Lab.run("/usr/bin/chromium", chromium + ["--window-size=420,1400", "--screenshot=\(afterShot)", url], timeout: .seconds(90))
        #expect(((try? FileManager.default.attributesOfItem(atPath: afterShot)[.size] as? Int) ?? 0) > 10_000, "after-failback screenshot")
    }

    @Test("webhooks: one POST per transition, Slack-compatible text, retried after a failure")
    func webhooks() async throws {
        let receiver = try WebhookReceiver(failFirst: 1)
        let daemon = try await LabDaemon.healthy(LabDaemon.Options(extra: """
            [[notify]]
            url = "http://127.0.0.1:\(receiver.port)/hook"
            timeout = "2s"
            """))
        defer { daemon.stop(); Standby.reset() }
        try Lab.fault(.primaryHTTP)
        #expect(await daemon.waitFor(.standbyActive, within: .seconds(15)))
        // The first POST (FAILING_OVER) gets a 503 and comes again a second later.
        let arrived = await eventually(within: .seconds(10)) {
            Set(receiver.received.compactMap { Self.json($0)?["phase"] as? String }).isSuperset(of: ["FAILING_OVER", "STANDBY_ACTIVE"])
        }
        #expect(arrived, "\(receiver.received)")
        let transitions = receiver.received.compactMap(Self.json).filter { $0["kind"] as? String == "state_changed" }
        #expect(transitions.compactMap { $0["phase"] as? String }.sorted() == ["FAILING_OVER", "STANDBY_ACTIVE"], "\(receiver.received)")
        #expect(transitions.allSatisfy { ($0["text"] as? String)?.contains("Lifeboat www") == true })
        #expect(daemon.logText.contains("webhook.failed"), "the first POST got 503 and was retried")
    }

    @Test("NOTIFY_SOCKET: READY=1 after binding, STATUS=, WATCHDOG=1, RELOADING=1 on SIGHUP, STOPPING=1")
    func systemdNotify() async throws {
        let socket = try NotifySocketReceiver()
        let daemon = try LabDaemon()
        defer { daemon.stop() }
        try await daemon.start(environment: ["NOTIFY_SOCKET=\(socket.path)", "WATCHDOG_USEC=400000"])
        let ready = try #require(socket.waitFor("READY=1"))
        #expect(ready.last?.contains("STATUS=www: PRIMARY_ACTIVE") == true, "\(ready)")
        #expect(daemon.addresses() == Standby.primaryAddress, "READY=1 came after DNS was bound")
        #expect(socket.waitFor("WATCHDOG=1", seconds: 2) != nil)
        kill(daemon.pid, SIGHUP)
        let reload = try #require(socket.waitFor("RELOADING=1"))
        #expect(reload.last?.contains("MONOTONIC_USEC=") == true)
        #expect(socket.waitFor("READY=1") != nil)
        daemon.stop()
        #expect(socket.waitFor("STOPPING=1", seconds: 2) != nil)
    }

    @Test("SIGHUP: a broken configuration is refused and the old one runs; a good one takes effect; not in the middle of a sequence")
    func reload() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { daemon.stop(); Standby.reset() }
        let good = try String(contentsOfFile: daemon.config, encoding: .utf8)
        try (good + "\nbogus_key = 1\n").write(toFile: daemon.config, atomically: true, encoding: .utf8)
        kill(daemon.pid, SIGHUP)
        #expect(await eventually(within: .seconds(5)) { daemon.logText.contains("config.reload.refused") })
        #expect(daemon.logText.contains("bogus_key"))
        #expect(try daemon.status().phase == .primaryActive)
        #expect(daemon.addresses() == Standby.primaryAddress)

        // A good change (failback manual → auto) replaces the controller; the journal carries on.
        _ = try daemon.command(.pause)
        try good.replacingOccurrences(of: "failback = \"manual\"", with: "failback = \"auto\"").write(toFile: daemon.config, atomically: true, encoding: .utf8)
        kill(daemon.pid, SIGHUP)
        #expect(await eventually(within: .seconds(10)) { (try? daemon.status().failback) == "auto" }, "\(daemon.logText.suffix(1500))")
        #expect(try daemon.status().paused, "the new controller restored the pause from the journal")
        #expect(try daemon.status().phase == .primaryActive)
        _ = try daemon.command(.resume)

        // During a failback's drain a changed configuration waits, and is applied once the sequence ends.
        #expect(try daemon.command(.promote, force: true).accepted)
        #expect(await daemon.waitFor(.standbyActive))
        #expect(try daemon.command(.failback, force: true).accepted)
        #expect(await eventually(within: .seconds(5)) { (try? daemon.status().sequence?.steps.first { $0.name == "drain" }?.state) == .waiting })
        try good.write(toFile: daemon.config, atomically: true, encoding: .utf8)
        kill(daemon.pid, SIGHUP)
        #expect(await eventually(within: .seconds(5)) { daemon.logText.contains("config.reload.deferred") })
        #expect(try daemon.status().failback == "auto")
        #expect(try daemon.report().reloadDeferred?.contains("reload deferred") == true)
        #expect(await daemon.waitFor(.primaryActive, within: .seconds(40)), "the failback went on: \(daemon.logText.suffix(1500))")
        #expect(await eventually(within: .seconds(10)) { (try? daemon.status().failback) == "manual" }, "applied without another SIGHUP")
        #expect(try daemon.report().reloadDeferred == nil)
    }

    @Test("systemd/lifeboatd.service passes systemd-analyze verify")
    func systemdUnit() throws {
        let unit = try String(contentsOfFile: "\(Lab.repositoryRoot)/systemd/lifeboatd.service", encoding: .utf8)
        for directive in ["Type=notify", "WatchdogSec=", "Restart=on-failure", "ExecReload=", "AmbientCapabilities=CAP_NET_BIND_SERVICE",
                          "StateDirectory=lifeboat", "ProtectSystem=strict", "ReadWritePaths=", "NoNewPrivileges=yes", "PrivateTmp=yes"] {
            #expect(unit.contains(directive), "missing \(directive)")
        }
        // The unit names the installed binaries; verify checks they exist, so point it at the built ones.
        let directory = NSTemporaryDirectory() + "unit-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let local = unit.replacingOccurrences(of: "/usr/local/bin/", with: LabDaemon.buildDirectory + "/")
        try local.write(toFile: "\(directory)/lifeboatd.service", atomically: true, encoding: .utf8)
        let verify = Lab.run("/usr/bin/systemd-analyze", ["verify", "--man=no", "\(directory)/lifeboatd.service"])
        #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")
        let broken = local.replacingOccurrences(of: "Type=notify", with: "Type=notifyy")
        try broken.write(toFile: "\(directory)/lifeboatd.service", atomically: true, encoding: .utf8)
        let refused = Lab.run("/usr/bin/systemd-analyze", ["verify", "--man=no", "\(directory)/lifeboatd.service"])
        #expect(!refused.output.isEmpty, "verify must notice a bad value, or passing it proves nothing")
        // sysusers and tmpfiles applied to an empty root: the user exists, the directories are made.
        let root = "\(directory)/root"
        for (file, target) in [("lifeboat.sysusers.conf", "usr/lib/sysusers.d"), ("lifeboat.tmpfiles.conf", "usr/lib/tmpfiles.d")] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(target)", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(Lab.repositoryRoot)/systemd/\(file)", toPath: "\(root)/\(target)/lifeboat.conf")
        }
        try FileManager.default.createDirectory(atPath: "\(root)/etc", withIntermediateDirectories: true)
        let sysusers = Lab.run("/usr/bin/systemd-sysusers", ["--root=\(root)"])
        #expect(sysusers.status == 0 && (try? String(contentsOfFile: "\(root)/etc/passwd", encoding: .utf8))?.contains("lifeboat:") == true, "\(sysusers.output)")
        let tmpfiles = Lab.run("/usr/bin/systemd-tmpfiles", ["--create", "--root=\(root)"])
        #expect(tmpfiles.status == 0, "\(tmpfiles.output)")
        for path in ["var/lib/lifeboat", "etc/lifeboat/zones"] {
            #expect(FileManager.default.fileExists(atPath: "\(root)/\(path)"), "\(path) not created")
        }
    }
}
}
