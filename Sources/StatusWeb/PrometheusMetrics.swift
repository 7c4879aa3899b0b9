public import Controller
public import DNSQuery
public import LifeboatCore
import Prometheus
import Synchronization

/// Lifeboat's metrics in the Prometheus text format (`/metrics`). Labels are bounded: check keys,
/// service and step names come from the configuration, reasons and phases from fixed sets —
/// never a query name or an address.
public final class PrometheusMetrics: ControllerMetrics {
    private let registry = PrometheusCollectorRegistry()
    /// DNS totals last seen, so the registry's counters can be advanced by the difference.
    private let dnsSeen = Mutex<[String: UInt64]>([:])

    private static let checkBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]
    private static let stepBuckets: [Duration] = [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
        .seconds(1), .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(3600)]

    /// An empty registry.
    public init() {}

    private func name(_ metric: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "lifeboat", metricName: metric, unitName: unit, helpText: help)
    }

    public func checkRan(check: String, duration: Duration, success: Bool, reason: String?) {
        registry.makeDurationHistogram(
            descriptor: name("check_duration", unit: "seconds", "How long one run of a check took."),
            labels: [("check", check)], buckets: Self.checkBuckets
        ).record(duration)
        registry.makeCounter(
            descriptor: name("check_runs", unit: "total", "Check runs by result: ok or the failure reason."),
            labels: [("check", check), ("result", success ? "ok" : reason ?? "failed")]
        ).increment()
    }

    public func checkPace(check: String, fast: Bool) {
        registry.makeGauge(
            descriptor: name("check_fast_phase", "1 while a check runs at its fast_interval (its state is changing), else 0."),
            labels: [("check", check)]
        ).set(to: fast ? 1.0 : 0.0)
    }

    public func sequenceStarted(service: String, direction: FailoverDirection) {
        let (metric, help) = switch direction {
        case .failover: ("failovers", "Failover sequences started.")
        case .failback: ("failbacks", "Failback sequences started.")
        case .refresh: ("refreshes", "Refreshes of a dump-refreshed standby started ([service.refresh]; failback's own not counted).")
        }
        registry.makeCounter(
            descriptor: name(metric, unit: "total", help),
            labels: [("service", service)]
        ).increment()
    }

    public func stepEnded(service: String, step: String, duration: Duration, success: Bool) {
        registry.makeDurationHistogram(
            descriptor: name("step_duration", unit: "seconds", "How long a failover or failback step took, by result."),
            labels: [("service", service), ("step", step), ("result", success ? "ok" : "failed")], buckets: Self.stepBuckets
        ).record(duration)
    }

    /// The exposition: the registry's counters and histograms, and gauges from the current status.
    public func render(status: StatusReport, dns: [String: QueryCounts], events: [DNSEvent: UInt64] = [:]) -> String {
        for service in status.services {
            for phase in FailoverPhase.allCases {
                registry.makeGauge(
                    descriptor: name("service_state", "1 for the phase the service is in, 0 for the others."),
                    labels: [("service", service.name), ("state", phase.rawValue)]
                ).set(to: phase == service.phase ? 1.0 : 0.0)
            }
            registry.makeGauge(descriptor: name("service_paused", "1 while automatic transitions are paused."), labels: [("service", service.name)])
                .set(to: service.paused ? 1.0 : 0.0)
            registry.makeGauge(descriptor: name("service_standby_active", "1 while DNS points at the standby."), labels: [("service", service.name)])
                .set(to: service.activeSite == .standby ? 1.0 : 0.0)
            if let serial = service.serial {
                registry.makeGauge(descriptor: name("zone_serial", "The SOA serial served."), labels: [("zone", service.zone)]).set(to: Double(serial))
            }
            if let preflight = service.preflight {
                registry.makeGauge(
                    descriptor: name("preflight_problems", "Problems the read-only preflight found (0: every step can run)."),
                    labels: [("service", service.name)]
                ).set(to: Double(preflight.problems.count))
            }
            if let refresh = service.refresh { renderRefresh(refresh, service: service.name) }
            renderPlanned(service)
            registry.makeGauge(
                descriptor: name("failover_held", "1 while the primary is down and no failover runs (a gate, the confirmation round, a refresh holds it)."),
                labels: [("service", service.name)]
            ).set(to: service.phase == .primaryActive && service.primary.state == .down ? 1.0 : 0.0)
            for (site, health) in [("primary", service.primary), ("standby", service.standby)] {
                for check in health.checks { renderCheckFacts(check, key: "\(service.name)/\(site)/\(check.name)", service: service.name) }
            }
            for (site, health) in [("primary", service.primary), ("standby", service.standby)] {
                registry.makeGauge(
                    descriptor: name("site_up", "1 when every check of the site is up, 0 when one is down, -1 unknown."),
                    labels: [("service", service.name), ("site", site)]
                ).set(to: health.state == .up ? 1.0 : health.state == .down ? 0.0 : -1.0)
            }
        }
        for check in status.witnesses { renderCheckFacts(check, key: "witness/\(check.name)", service: nil) }
        registry.makeGauge(descriptor: name("isolated", "1 while every witness is down.")).set(to: status.isolated ? 1.0 : 0.0)
        registry.makeGauge(descriptor: name("local_problem", "1 when Lifeboat's own host could not run a check in the last 2 minutes."))
            .set(to: status.localProblem == nil ? 0.0 : 1.0)
        if let cluster = status.cluster {
            registry.makeGauge(
                descriptor: name("coordination_lost", "1 while this site cannot reach a quorum of etcd members (it changes nothing)."),
                labels: [("site", cluster.site)]
            ).set(to: cluster.coordinationLost ? 1.0 : 0.0)
            registry.makeGauge(descriptor: name("cluster_leading", "1 while this site leads its cluster."), labels: [("site", cluster.site)])
                .set(to: cluster.leading ? 1.0 : 0.0)
        }
        advanceDNS(dns)
        advanceEvents(events)
        return registry.emitToString()
    }

    /// What a check's last run measured besides up or down: replication (or lag_query) lag, days of certificate left.
    private func renderCheckFacts(_ check: CheckStatus, key: String, service: String?) {
        if let lag = check.last?.lagSeconds, let service {
            registry.makeGauge(descriptor: name("check_lag_seconds", "Replication lag, or lag_query's data age, at the check's last run."),
                               labels: [("check", key), ("service", service)]).set(to: Double(lag))
        }
        if let days = check.last?.certificateDaysLeft {
            registry.makeGauge(descriptor: name("check_certificate_days_left", "Whole days until the HTTPS check's server certificate expires."),
                               labels: [("check", key)]).set(to: Double(days))
        }
    }

    /// The propagation watch's last switch, the lowered TTL and the last drill.
    private func renderPlanned(_ service: ServiceStatus) {
        let gauge = { (metric: String, help: String, labels: [(String, String)], value: Double) in
            self.registry.makeGauge(descriptor: self.name(metric, help), labels: [("service", service.name)] + labels).set(to: value)
        }
        gauge("ttl_lowered", "1 while the owners are served with switchover_ttl (a switchover is under way or the standby serves after one).", [],
              service.ttlLowered == true ? 1 : 0)
        for kind in [SequenceTrigger.switchover, .drill] {
            let active = service.sequence?.trigger == kind || service.servedBy == kind
            gauge("planned_move_active", "1 while a switchover or drill runs, or the standby serves because of one.", [("kind", kind.rawValue)],
                  active ? 1 : 0)
        }
        for target in service.propagation?.targets ?? [] {
            let kind = target.target.kind.rawValue
            let labels = [(kind, target.target.name)]
            if let seconds = target.seconds {
                gauge("\(kind)_switched_seconds", "Seconds from the last DNS switch until this \(kind) answered the new \(kind == "resolver" ? "addresses" : "serial").",
                      labels, seconds)
            }
            gauge("\(kind)_still_old", "1 while (or when, after propagation_timeout) this \(kind) still answers the old \(kind == "resolver" ? "addresses" : "serial") after the last switch.",
                  labels, target.state == "switched" ? 0 : 1)
        }
        if let drill = service.lastDrill {
            gauge("drill_last_timestamp_seconds", "When the last drill began (Unix time).", [], drill.startedAt.timeIntervalSince1970)
            gauge("drill_last_passed", "1 when the last drill passed, 0 when it failed, became real or still runs.", [], drill.outcome == "passed" ? 1 : 0)
            if let seconds = drill.outageToAnswerSeconds {
                gauge("drill_last_outage_to_answer_seconds", "The last drill: from its start to lifeboatd answering the standby's addresses.", [], seconds)
            }
        }
    }

    /// A dump-refreshed standby's gauges: the data's age, the last refresh, the next, a postponed one.
    private func renderRefresh(_ refresh: RefreshStatus, service: String) {
        let labels = [("service", service)]
        let gauge = { (metric: String, help: String, value: Double) in
            self.registry.makeGauge(descriptor: self.name(metric, help), labels: labels).set(to: value)
        }
        if let age = refresh.dataAgeSeconds {
            gauge("standby_data_age_seconds", "Age of the standby's data: since the last successful refresh began.", Double(age))
        }
        gauge("standby_data_stale", "1 while the standby's data is older than max_lag (an unforced failover is held).", refresh.stale ? 1 : 0)
        gauge("refresh_last_failed", "1 when the last refresh failed (the standby kept its old data).", refresh.last.map { $0.success ? 0 : 1 } ?? 0)
        gauge("refresh_running", "1 while a refresh runs.", refresh.runningSince == nil ? 0 : 1)
        gauge("refresh_postponed", "1 while a due refresh waits (the standby serves, a sequence runs, the primary is down, paused).",
              refresh.postponed == nil ? 0 : 1)
        if let next = refresh.nextDue {
            gauge("refresh_next_timestamp_seconds", "When the next scheduled refresh comes due (Unix time).", next.timeIntervalSince1970)
        }
        if let last = refresh.last {
            gauge("refresh_last_end_timestamp_seconds", "When the last refresh ended (Unix time).", last.finished.timeIntervalSince1970)
            gauge("refresh_last_duration_seconds", "How long the last refresh took.", last.finished.timeIntervalSince(last.started))
            if let rows = last.swap?.rows { gauge("refresh_last_rows", "Rows the last successful refresh swapped in (information_schema's estimate).", Double(rows)) }
            if let bytes = last.swap?.bytes { gauge("refresh_last_bytes", "Data and index bytes the last successful refresh swapped in.", Double(bytes)) }
        }
    }

    /// What each event family's counter says.
    static let eventHelp = [
        "tcp_closed": "TCP connections the DNS server closed: timeout (a message not whole in tcp_idle_timeout, or idle), evicted (the longest idle, at tcp_max_connections), per_client (refused at tcp_max_per_client), malformed (a message shorter than a DNS header).",
        "tsig_refused": "Requests refused for their TSIG: BADKEY, BADSIG, BADTIME (answered NOTAUTH), unsigned (a transfer where allow_transfer requires a key; answered REFUSED).",
        "rrl": "UDP answers response rate limiting held back: dropped, or slipped (sent truncated, TC=1).",
        "transfers": "Zone transfers served: axfr, ixfr (changes), ixfr_full (the journal did not reach the client's serial), ixfr_current (up to date: the SOA alone).",
    ]

    private func advanceEvents(_ events: [DNSEvent: UInt64]) {
        for (event, total) in events.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            let key = "event/\(event.family)/\(event.value)"
            let delta = dnsSeen.withLock { seen -> UInt64 in
                defer { seen[key] = total }
                return total &- (seen[key] ?? 0)
            }
            registry.makeCounter(
                descriptor: name("dns_\(event.family)", unit: "total", Self.eventHelp[event.family] ?? "DNS server events."),
                labels: [(event.label, event.value)]
            ).increment(by: Int64(delta))
        }
    }

    private func advanceDNS(_ dns: [String: QueryCounts]) {
        let rcodes = [0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 9: "NOTAUTH", QueryCounts.dropped: "dropped"]
        for (transport, counts) in dns.sorted(by: { $0.key < $1.key }) {
            var grouped: [String: UInt64] = [:]
            for (index, count) in counts.counts.enumerated() { grouped[rcodes[index] ?? "other", default: 0] += count }
            for (rcode, total) in grouped.sorted(by: { $0.key < $1.key }) {
                let key = "\(transport)/\(rcode)"
                let delta = dnsSeen.withLock { seen -> UInt64 in
                    defer { seen[key] = total }
                    return total &- (seen[key] ?? 0)
                }
                registry.makeCounter(
                    descriptor: name("dns_queries", unit: "total", "DNS queries by transport and response code (dropped: no answer)."),
                    labels: [("protocol", transport), ("rcode", rcode)]
                ).increment(by: Int64(delta))
            }
        }
    }
}
