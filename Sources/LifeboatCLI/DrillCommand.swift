import ArgumentParser
import Foundation
import LifeboatCore

/// `lifeboat drill`: a full failover and failback against the real standby while the primary is
/// healthy, followed to its end and reported; `--dry-run` applies nothing.
struct DrillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Rehearse a failover and failback now (the standby really serves), or --dry-run: what it would do.",
        discussion: """
            The drill fails over as an outage would (read-only steps, DNS to the standby) and fails back as soon \
            as that is done (DNS, drain, read-only lifted, resync, replication). It needs a healthy primary and \
            passes the failover's gates unless --force. Without --no-wait it follows the drill and prints its \
            report: each step's duration, outage → answer, the resolvers' and secondaries' propagation, what failed. \
            --dry-run runs the preflight (with Apache's configtest) and every check once, and prints each step with \
            what it would do; nothing is applied or journaled. --report prints the last drill's report. \
            Exit codes: 0 passed (dry run: would start and everything passed), 1 refused or failed, 2 usage, \
            configuration or token error, 3 the daemon cannot be reached.
            """)

    @OptionGroup var api: APIOptions

    @Option(help: "The service (may be left out when there is only one).")
    var service: String?

    @Flag(help: "Apply nothing: preflight, every check, configtest, and each step with what it would do.")
    var dryRun = false

    @Flag(help: "Print the last drill's report and exit.")
    var report = false

    @Flag(help: "Start the drill and return at once (`lifeboat drill --report` shows it later).")
    var noWait = false

    @Flag(help: "Skip the failover's gates (standby health, preflight). Journaled as forced.")
    var force = false

    @Option(help: "Why, for the journal and the history.")
    var reason: String = ""

    @Option(help: "How long to follow the drill, in seconds.")
    var timeout: Int = 3600

    @Flag(help: "Print JSON (the dry-run plan or the report).")
    var json = false

    func run() throws {
        let client = try CLIRequest.run { try api.client() }
        let name = try CLIRequest.run { try service ?? ControlRequest.onlyService(client) }
        if dryRun {
            let plan: DrillPlan = try CLIRequest.run {
                let body = String(decoding: try JSONEncoder().encode(CommandRequest(by: ControlRequest.by, dryRun: true)), as: UTF8.self)
                return try decoded(client.post("/api/v1/services/\(name)/drill", json: body), raw: json)
            }
            if !json { print(DrillText.plan(plan)) }
            if !plan.ok { throw ExitCode(1) }
            return
        }
        if report {
            let last: DrillReport = try CLIRequest.run { try decoded(client.get("/api/v1/services/\(name)/drills/last"), raw: json) }
            if !json { print(DrillText.report(last)) }
            if last.outcome != "passed" { throw ExitCode(1) }
            return
        }
        let before = try CLIRequest.run { try lastReport(client, name) }?.id
        try ControlRequest.send(.drill, api: api, service: name, json: false,
                                body: CommandRequest(force: force, reason: reason))
        guard !noWait else { return }
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        var shown = 0
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 1)
            guard let current = try CLIRequest.run({ try lastReport(client, name) }), current.id != before else { continue }
            if !json {
                for step in current.steps.dropFirst(shown) where step.success != nil {
                    print("  \(step.direction.rawValue) \(step.step): \(step.success == true ? "done" : "FAILED") in \(DrillText.seconds(step.seconds))")
                }
                shown = current.steps.filter { $0.success != nil }.count
            }
            guard current.outcome != "running" else { continue }
            // The failback's propagation is watched after its DNS step: wait for the watch to end.
            let status: ServiceStatus = try CLIRequest.run { try decoded(client.get("/api/v1/services/\(name)"), raw: false) }
            if status.propagation?.targets.contains(where: { $0.state == "waiting" }) == true { continue }
            let final = try CLIRequest.run { try lastReport(client, name) } ?? current
            if json { print(String(decoding: try APIJSON.encoder().encode(final), as: UTF8.self)) } else { print(DrillText.report(final)) }
            if final.outcome != "passed" { throw ExitCode(1) }
            return
        }
        CLIRequest.printError("the drill did not end within \(timeout) s; `lifeboat status` shows where it is")
        throw ExitCode(1)
    }

    private func lastReport(_ client: DaemonClient, _ name: String) throws -> DrillReport? {
        let (status, body) = try client.get("/api/v1/services/\(name)/drills/last")
        if status == 404, String(decoding: body, as: UTF8.self).contains("no drill yet") { return nil }
        return try decoded((status, body), raw: false)
    }

    private func decoded<T: Decodable>(_ answer: (status: Int, body: Data), raw: Bool) throws -> T {
        try CLIRequest.decoded(answer, printing: raw, terminator: "\n")
    }
}

/// The drill's plan and report in words.
enum DrillText {
    static func seconds(_ value: Double?) -> String {
        value.map(HumanTime.tenths) ?? "-"
    }

    static func plan(_ plan: DrillPlan) -> String {
        var lines = ["\(plan.service): drill dry run — \(plan.wouldStart ? "a drill would start now" : "a drill would be REFUSED: \(plan.refusal ?? "")")"]
        lines.append("preflight: \(plan.preflight.summary)")
        for problem in plan.preflight.problems { lines.append("  ✗ \(problem.message) (\(problem.key))") }
        for note in plan.preflight.notes { lines.append("  note: \(note)") }
        lines.append("checks:")
        for check in plan.checks {
            lines.append("  \(check.success ? "✓" : "✗") \(check.site) \(check.check): \(check.message) (\(check.durationMs) ms)")
        }
        lines.append("steps:")
        for step in plan.steps { lines.append("  \(step.direction.rawValue) \(step.step): \(step.does)") }
        lines.append("propagation watch: \(plan.watched.isEmpty ? "none configured (resolvers = [...])" : plan.watched.map(\.description).joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }

    static func report(_ report: DrillReport) -> String {
        var lines = ["drill #\(report.id) \(report.outcome.uppercased()) — \(report.startedBy), \(HumanTime.clock(report.startedAt))"]
        lines.append("  outage → answer: \(seconds(report.outageToAnswerSeconds)); in all: \(seconds(report.totalSeconds))")
        for step in report.steps {
            let outcome = step.success.map { $0 ? "done" : "FAILED" } ?? "running"
            lines.append("  \(step.direction.rawValue) \(step.step): \(outcome) in \(seconds(step.seconds))\(step.tries > 1 ? " (try \(step.tries))" : "")")
        }
        for item in report.propagation {
            let outcome = item.seconds.map { "new answer after \(seconds($0))" } ?? "STILL OLD after \(seconds(item.waited))"
            lines.append("  DNS → \(item.site.rawValue): \(item.target) \(outcome) (\(item.answer))")
        }
        lines.append(report.problems.isEmpty ? "  problems: none" : "  problems:\n" + report.problems.map { "    - \($0)" }.joined(separator: "\n"))
        return lines.joined(separator: "\n")
    }
}
