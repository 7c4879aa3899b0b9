import Foundation
import LifeboatCore

/// `lifeboat status` for people: one block per service, the important line first.
enum StatusTable {
    static func render(_ report: StatusReport, services: [ServiceStatus], now: Date) -> String {
        var lines: [String] = []
        for service in services {
            let age = HumanTime.duration(now.timeIntervalSince(service.since))
            lines.append("\(service.name)  \(service.phase.rawValue)\(service.paused ? " (PAUSED)" : "")  since \(HumanTime.clock(service.since)) (\(age) ago)")
            lines.append("  DNS      \(service.owners.joined(separator: " ")) → \(service.activeSite.rawValue) \(service.addresses.joined(separator: ", "))  ttl \(service.ttl)  serial \(service.serial.map(String.init) ?? "?")")
            lines.append("  why      \(service.reason)")
            if let waiting = service.waiting { lines.append("  waiting  \(waiting)") }
            for problem in service.preflight?.problems ?? [] { lines.append("  PREFLIGHT \(problem.message)  [\(problem.key)]") }
            for note in service.preflight?.notes ?? [] { lines.append("  note     \(note)") }
            for countdown in service.countdowns {
                lines.append("  timer    \(countdown.name) ends in \(HumanTime.duration(countdown.until.timeIntervalSince(now)))")
            }
            if let propagation = service.propagation {
                let targets = propagation.targets.map { target in
                    "\(target.target.name) " + (target.seconds.map { "\($0) s" } ?? "\(target.state.uppercased()) \(Int(target.waited)) s")
                }
                lines.append("  watch    DNS → \(propagation.site.rawValue) (serial \(propagation.serial)): \(targets.joined(separator: " · "))")
            }
            if let drill = service.lastDrill {
                let figures = drill.outageToAnswerSeconds.map { ", outage → answer \(HumanTime.tenths($0))" } ?? ""
                lines.append("  drill    #\(drill.id) \(drill.outcome.uppercased()) \(HumanTime.clock(drill.startedAt))\(figures)\(drill.problems.isEmpty ? "" : "; \(drill.problems.count) problem(s): lifeboat drill --report")")
            }
            for (index, line) in (service.refresh?.lines(now: now) ?? []).enumerated() {
                lines.append("  \(index == 0 ? "refresh " : "        ") \(line.alert ? "! " : "")\(line.text)")
            }
            for (role, site) in [("primary", service.primary), ("standby", service.standby)] {
                let checks = site.checks.map { check in
                    let last = check.last.map { run in run.success ? " \(milliseconds(run.durationMs))" : " \(run.reason?.rawValue ?? "failed")" } ?? ""
                    let streak = check.state == .up && check.consecutiveFailures > 0 ? " (\(check.consecutiveFailures) failing)" : ""
                    return "\(check.name) \(check.state)\(last)\(streak)"
                }
                lines.append("  \(role)  \(site.state.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(checks.joined(separator: " · "))")
                if site.state != .up { lines.append("           \(site.detail)") }
            }
            if let sequence = service.sequence {
                let steps = sequence.steps.map { step in
                    let mark = switch step.state {
                    case .done: "✓"
                    case .running: "▶"
                    case .waiting: "…"
                    case .retrying: "↻"
                    case .failed: "✗"
                    case .pending: "·"
                    }
                    return "\(mark) \(step.name)\(step.durationMs.map { " \($0)ms" } ?? "")"
                }
                lines.append("  \(sequence.direction.rawValue)  \(steps.joined(separator: "  "))")
                if let failed = sequence.steps.first(where: { $0.state == .failed }), let detail = failed.detail {
                    lines.append("           \(failed.name): \(detail)")
                    lines.append("           fix it, then: lifeboat retry --service \(service.name)   (or: lifeboat abort)")
                }
            }
            lines.append("")
        }
        let witnesses = report.witnesses.map { "\($0.name) \($0.state)" }.joined(separator: " · ")
        lines.append("witnesses  \(witnesses.isEmpty ? "none configured" : witnesses)\(report.isolated ? "  — ISOLATED: no automatic failover" : "")")
        if let deferred = report.reloadDeferred { lines.append(deferred) }
        if let local = report.localProblem { lines.append("LOCAL PROBLEM  \(local)") }
        if let cluster = report.cluster {
            lines.append("cluster    \(cluster.name): site \(cluster.site) (\(cluster.role)), \(cluster.leading ? "leading" : "leader \(cluster.leader ?? "none")")")
            for (service, summary) in cluster.sites.sorted(by: { $0.key < $1.key }) { lines.append("sites      \(service): \(summary)") }
            if cluster.coordinationLost {
                lines.append("COORDINATION LOST  \(cluster.lastError ?? "etcd does not answer"): serving the last state read, changing nothing")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func milliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1fms", value) : "\(Int(value.rounded()))ms"
    }
}
