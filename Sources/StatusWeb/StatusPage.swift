import Foundation
import LifeboatCore

/// The status page at `/`: plain HTML and CSS, no JavaScript, refreshing itself every 5 s,
/// readable on a phone. The important line first: each service's state and active site.
enum StatusPage {
    static func render(_ report: StatusReport, history: [HistoryEntry], now: Date) -> String {
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="5">
            <title>\(title(report))</title>
            <style>\(css)</style></head><body>
            <header><h1>Lifeboat</h1><p class="meta">\(escape(HumanTime.clock(report.generatedAt))) · version \(escape(report.version)) · refreshes every 5 s</p></header>

            """
        if report.isolated {
            html += "<p class=\"alert\">ISOLATED: every witness is down. Lifeboat may be the one cut off; no automatic failover.</p>\n"
        }
        if let local = report.localProblem { html += "<p class=\"alert local\">LOCAL PROBLEM: \(escape(local)) — not counted against any site.</p>\n" }
        if let cluster = report.cluster { html += Self.cluster(cluster) }
        if let deferred = report.reloadDeferred { html += "<p class=\"waiting reload-deferred\">\(escape(deferred))</p>\n" }
        for service in report.services { html += section(service, now: now) }
        html += "<section class=\"witnesses\"><h2>Witnesses</h2>"
        html += report.witnesses.isEmpty ? "<p>none configured</p>" : checksTable(report.witnesses)
        html += "</section>\n<section class=\"history\"><h2>History</h2><table><tr><th>when</th><th>service</th><th>what</th></tr>\n"
        for entry in history.prefix(40) {
            html += "<tr class=\"\(escape(entry.kind.rawValue))\"><td class=\"when\">\(escape(HumanTime.clock(entry.at)))</td><td>\(escape(entry.service))</td><td>\(escape(entry.summary))</td></tr>\n"
        }
        html += "</table></section>\n<footer><a href=\"/api/v1/status\">JSON</a> · <a href=\"/api/v1/history\">history JSON</a> · <a href=\"/metrics\">metrics</a></footer></body></html>\n"
        return html
    }

    /// This site in its cluster: who leads, what the sites see, coordination lost in red.
    private static func cluster(_ cluster: ClusterStatus) -> String {
        var html = ""
        if cluster.coordinationLost {
            html += "<p class=\"alert coordination-lost\">COORDINATION LOST: etcd does not answer (\(escape(cluster.lastError ?? "")))."
                + " This site serves the last zone state it read, runs no step and changes nothing.</p>\n"
        }
        let leader = cluster.leading ? "this site leads" : "leader: \(cluster.leader ?? "none")"
        html += "<section class=\"cluster\"><h2>Cluster \(escape(cluster.name))</h2><p>site \(escape(cluster.site)) (\(escape(cluster.role))) · \(escape(leader))</p>"
        for (service, summary) in cluster.sites.sorted(by: { $0.key < $1.key }) {
            html += "<p class=\"sites\">\(escape(service)): \(escape(summary))</p>"
        }
        return html + "</section>\n"
    }

    private static func title(_ report: StatusReport) -> String {
        let parts = report.services.map { "\($0.name) \($0.phase.rawValue)" }
        return escape("Lifeboat: " + parts.joined(separator: ", "))
    }

    private static func section(_ service: ServiceStatus, now: Date) -> String {
        var html = """
            <section class="service \(service.phase.rawValue.lowercased())" id="service-\(escape(service.name))" \
            data-phase="\(service.phase.rawValue)" data-active-site="\(service.activeSite.rawValue)">
            <h2><span class="name">\(escape(service.name))</span> <span class="phase">\(service.phase.rawValue)</span>\
            \(service.paused ? " <span class=\"paused\">PAUSED</span>" : "")</h2>
            <p class="big">DNS points at the <strong class="active-site">\(service.activeSite.rawValue)</strong> \
            (\(escape(service.addresses.joined(separator: ", "))))</p>
            <p>since \(escape(HumanTime.clock(service.since))) (\(HumanTime.duration(now.timeIntervalSince(service.since))) ago): \(escape(service.reason))</p>

            """
        if let phases = service.phases { html += StatusPictures.phaseStrip(phases, now: now) + "\n" }
        if let waiting = service.waiting { html += "<p class=\"waiting\">Waiting: \(escape(waiting))</p>\n" }
        if let preflight = service.preflight {
            for problem in preflight.problems {
                html += "<p class=\"alert preflight\">Preflight: \(escape(problem.message)) <small>(\(escape(problem.key)))</small></p>\n"
            }
            for note in preflight.notes { html += "<p class=\"waiting preflight-note\">Note: \(escape(note))</p>\n" }
        }
        for countdown in service.countdowns {
            html += "<p class=\"countdown\">\(escape(countdown.name.rawValue)) ends at \(escape(HumanTime.clock(countdown.until))) (in \(HumanTime.duration(countdown.until.timeIntervalSince(now))))</p>\n"
        }
        if let sequence = service.sequence {
            html += "<h3>\(sequence.direction.rawValue) (\(sequence.trigger.rawValue)\(sequence.forced ? ", forced" : ""))\(sequence.attempt > 1 ? ", try \(sequence.attempt)" : "")</h3><ol class=\"steps\">"
            for step in sequence.steps {
                html += "<li class=\"\(escape(step.state.rawValue))\">\(escape(step.name)) — \(escape(step.state.rawValue))\(step.durationMs.map { " (\($0) ms)" } ?? "")"
                if let detail = step.detail, step.state == .failed || step.state == .retrying { html += "<br><small>\(escape(detail))</small>" }
                html += "</li>"
            }
            html += "</ol>\n"
            html += StatusPictures.timeline(sequence, title: "\(sequence.direction.rawValue) under way: steps by duration") + "\n"
        } else if let last = service.lastSequence {
            html += StatusPictures.timeline(last, title: "last \(last.direction.rawValue) (\(last.trigger.rawValue)): steps by duration") + "\n"
        }
        if let propagation = service.propagation {
            html += "<h3>propagation after the last switch</h3>\n" + StatusPictures.propagationCurve(propagation) + "\n<table class=\"propagation\">"
            html += "<tr><th>resolver / secondary</th><th>state</th><th>last answer</th></tr>"
            for target in propagation.targets {
                let state = target.seconds.map { "switched after \($0) s" } ?? "\(target.state) (\(Int(target.waited)) s)"
                html += "<tr><td>\(escape(target.target.description))</td><td>\(escape(state))</td><td>\(escape(target.answer))</td></tr>"
            }
            html += "</table>\n"
        }
        if let drill = service.lastDrill {
            html += "<h3>last drill</h3>\n<p class=\"drill\(drill.outcome == "passed" || drill.outcome == "running" ? "" : " alert")\">#\(drill.id) \(escape(drill.outcome))"
            html += " · \(escape(HumanTime.clock(drill.startedAt))) · \(escape(drill.startedBy))"
            html += drill.outageToAnswerSeconds.map { " · outage → answer \(HumanTime.tenths($0))" } ?? ""
            html += drill.totalSeconds.map { " · in all \(HumanTime.tenths($0))" } ?? ""
            html += drill.problems.isEmpty ? "" : " · problems: " + escape(drill.problems.joined(separator: "; "))
            html += "</p>\n"
        }
        if let refresh = service.refresh {
            html += "<h3>standby refresh</h3>\n"
            for line in refresh.lines(now: now) {
                html += "<p class=\"refresh\(line.alert ? " alert" : "")\">\(escape(line.text))</p>\n"
            }
        }
        let lag = service.standby.checks.compactMap { $0.last?.lagSeconds }.first
        html += "<p class=\"dns\">Zone \(escape(service.zone)) serial \(service.serial.map(String.init) ?? "?") · failback \(escape(service.failback))"
        html += lag.map { service.refresh == nil ? " · replication lag \($0) s" : " · data age (lag_query) \($0) s" } ?? ""
        html += "</p><table class=\"records\"><tr><th>name</th><th>TTL</th><th>addresses</th></tr>"
        for owner in service.owners {
            html += "<tr><td>\(escape(owner))</td><td>\(service.ttl)</td><td>\(escape(service.addresses.joined(separator: ", ")))</td></tr>"
        }
        html += "</table>\n"
        for (role, site) in [("primary", service.primary), ("standby", service.standby)] {
            html += "<h3>\(role) <span class=\"state \(site.state.rawValue)\">\(site.state.rawValue)</span></h3>"
            if site.state != .up { html += "<p class=\"detail\">\(escape(site.detail))</p>" }
            html += checksTable(site.checks)
        }
        return html + "</section>\n"
    }

    private static func checksTable(_ checks: [CheckStatus]) -> String {
        var html = "<table class=\"checks\"><tr><th>check</th><th>state</th><th>last</th><th>latency</th><th>recent</th></tr>"
        for check in checks {
            let last = check.last.map { $0.success ? "ok" : "\($0.reason?.rawValue ?? "failed"): \($0.message)" } ?? "no run yet"
            let latency = check.last.map { String(format: "%.1f ms", $0.durationMs) } ?? ""
            let recent = check.recent.map { $0 ? "●" : "○" }.joined()
            // The sparkline under the name: the column that stays on a phone.
            html += "<tr><td>\(escape(check.name)) <small>\(escape(check.type))</small><br>\(StatusPictures.sparkline(check))</td><td class=\"state \(check.state.rawValue)\">\(check.state.rawValue)"
            html += check.state == .up && check.consecutiveFailures > 0 ? " <small>(\(check.consecutiveFailures) failing)</small>" : ""
            html += check.state != .up && check.consecutiveSuccesses > 0 ? " <small>(\(check.consecutiveSuccesses) passing)</small>" : ""
            html += check.fastPhase ? " <small class=\"fast\">fast checks</small>" : ""
            html += "</td><td>\(escape(last))</td><td>\(latency)</td><td class=\"recent\">\(recent)</td></tr>"
        }
        return html + "</table>\n"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    private static let css = """
        body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60em;padding:0 .8em;color:#222}
        h1{margin:.4em 0 0}.meta,small,.when{color:#666}
        section.service{border:2px solid #ccc;border-radius:8px;padding:.2em 1em 1em;margin:1em 0}
        .phase{padding:.1em .5em;border-radius:4px;color:#fff;background:#777;font-size:.8em}
        .primary_active .phase{background:#2a7d2a}.standby_active .phase{background:#c05f00}
        .failing_over .phase,.failing_back .phase{background:#1f5fbf}.failback_ready .phase{background:#8a6d00}
        .error .phase{background:#b00020}section.error{border-color:#b00020}.paused{background:#555;color:#fff;padding:.1em .4em;border-radius:4px}
        .big{font-size:1.3em}.waiting,.alert{background:#fff3cd;padding:.3em .6em;border-radius:4px}.alert{background:#f8d7da}
        table{border-collapse:collapse;width:100%;font-size:.9em;margin:.3em 0}td,th{border-bottom:1px solid #eee;padding:.25em;text-align:left;vertical-align:top}
        .state.up{color:#2a7d2a}.state.down{color:#b00020;font-weight:bold}.state.unknown{color:#777}
        .steps .done{color:#2a7d2a}.steps .failed{color:#b00020;font-weight:bold}.steps .running,.steps .waiting{color:#1f5fbf}
        .recent{font-family:monospace;letter-spacing:-1px}
        \(StatusPictures.css)
        @media (max-width:40em){td:nth-child(4),th:nth-child(4),td:nth-child(5),th:nth-child(5){display:none}}
        """
}
