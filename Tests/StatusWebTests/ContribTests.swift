import DNSQuery
import Foundation
import LifeboatCore
import LifeboatTestSupport
@testable import StatusWeb
import Testing

/// `contrib/`: the Prometheus alerts (checked and unit-tested by promtool) and the Grafana
/// dashboard, whose every metric name must be one `/metrics` really exposes.
@Suite("contrib: Prometheus alerts and the Grafana dashboard")
struct ContribTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let rules = "\(root)/contrib/prometheus/lifeboat.rules.yml"
    static let dashboard = "\(root)/contrib/grafana/lifeboat.json"

    /// Runs a program (in `directory`); its exit status and combined output.
    static func run(_ arguments: [String], in directory: String = "/") throws -> (Int32, String) {
        Lab.run("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", directory] + arguments)
    }

    /// Every metric family a fully-featured daemon exposes: checks with lag and certificates, a
    /// dump-refreshed standby, a cluster, every DNS event family, every sequence kind.
    static func exposedFamilies() -> Set<String> {
        let metrics = PrometheusMetrics()
        metrics.checkRan(check: "www/primary/web", duration: .milliseconds(3), success: true, reason: nil)
        metrics.checkPace(check: "www/primary/web", fast: false)
        for direction in [FailoverDirection.failover, .failback, .refresh] { metrics.sequenceStarted(service: "www", direction: direction) }
        metrics.stepEnded(service: "www", step: "refresh", duration: .seconds(2), success: true)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let run = CheckRun(at: now, success: true, reason: nil, message: "ok", durationMs: 3, httpStatus: 200, lagSeconds: 4, certificateDaysLeft: 40)
        let check = CheckStatus(name: "db", type: "mysql", state: .up, consecutiveFailures: 0, consecutiveSuccesses: 3, last: run, recent: [true], fastPhase: false)
        var service = FakeStatusSource.service
        service.standby.checks = [check]
        service.primary.checks = [check]
        service.preflight = PreflightReport(checkedAt: now, problems: [], notes: [], sites: [])
        service.refresh = RefreshStatus(
            schedule: "daily at 03:00", timeZone: "UTC", nextDue: now, pending: nil, postponed: nil, runningSince: nil,
            last: RefreshOutcome(started: now, finished: now, success: true, message: "ok", swap: RefreshSwap(tables: 20, rows: 40, bytes: 1000, dataAgeSeconds: 3)),
            dataAsOf: now, dataAgeSeconds: 10, stale: false)
        var report = StatusReport(generatedAt: now, version: "test", isolated: false, services: [service], witnesses: [check])
        report.cluster = ClusterStatus(name: "c", site: "site-a", role: "executor", leader: "site-a", leading: true, coordinationLost: false, lastError: nil, sites: [:])
        var counts = QueryCounts()
        counts.record(rcode: 0)
        let events: [DNSEvent: UInt64] = [
            .transfer(.axfr): 1, .tsigRefused(nil): 1, .tcpClosed("timeout"): 1, DNSEvent("rrl", "action", "dropped"): 1,
        ]
        let text = metrics.render(status: report, dns: ["udp": counts], events: events)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count >= 3 && fields[0] == "#" && fields[1] == "TYPE" ? String(fields[2]) : nil
        })
    }

    /// The `lifeboat_…` names a file uses, histogram series named by their family.
    static func usedNames(in path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let regex = try Regex("lifeboat_[a-z_]+")
        return Set(text.matches(of: regex).map { match in
            var name = String(text[match.range])
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
            return name
        })
    }

    @Test("every metric the alerts and the dashboard use is one /metrics exposes")
    func namesExist() throws {
        let exposed = Self.exposedFamilies()
        #expect(exposed.contains("lifeboat_failover_held") && exposed.contains("lifeboat_check_certificate_days_left"))
        for file in [Self.rules, Self.dashboard] {
            let used = try Self.usedNames(in: file)
            #expect(used.count > 10, "\(file) uses \(used.count) metrics")
            #expect(used.subtracting(exposed).isEmpty, "\(file) uses metrics /metrics does not have: \(used.subtracting(exposed).sorted())")
        }
    }

    @Test("the alert rules pass promtool check rules and their unit tests (promtool test rules)")
    func promtool() throws {
        let (checkStatus, checkOutput) = try Self.run(["promtool", "check", "rules", Self.rules])
        #expect(checkStatus == 0, "\(checkOutput)")
        #expect(checkOutput.contains("SUCCESS: 12 rules found"), "\(checkOutput)")
        let (testStatus, testOutput) = try Self.run(["promtool", "test", "rules", "lifeboat.rules.test.yml"], in: "\(Self.root)/contrib/prometheus")
        #expect(testStatus == 0, "\(testOutput)")
    }

    @Test("every dashboard query is valid PromQL (parsed by promtool as a recording rule, Grafana's variables filled in)")
    func dashboardQueries() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.dashboard))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 25, "\(expressions.count) queries")
        let filled = expressions.map {
            $0.replacingOccurrences(of: "$__rate_interval", with: "1m").replacingOccurrences(of: "$__range", with: "1h")
                .replacingOccurrences(of: "$service", with: ".*")
        }
        var yaml = "groups:\n  - name: dashboard\n    rules:\n"
        for (index, expression) in filled.enumerated() {
            yaml += "      - record: dashboard:query\(index)\n        expr: '\(expression.replacingOccurrences(of: "'", with: "''"))'\n"
        }
        let file = NSTemporaryDirectory() + "lifeboat-dashboard-\(UUID().uuidString.prefix(8)).yml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, output) = try Self.run(["promtool", "check", "rules", file])
        #expect(status == 0, "\(output)")
    }
}
