import LifeboatConfig
import LifeboatCore
import Probes

/// Runs a service's confirmation round: every primary check that is not up, and every witness,
/// together and at once, on probes of their own (a check's scheduled probe keeps its own
/// connection). A decision to fail over then rests on results from the same moment — not on
/// counters that reached their thresholds at different times.
struct ConfirmationRunner: Sendable {
    private let service: String
    private let primary: [(key: CheckKey, probe: any Probe)]
    private let witnesses: [(key: CheckKey, probe: any Probe)]
    private let standby: [(key: CheckKey, probe: any Probe)]
    private let monitor: HealthMonitor

    init(service: ServiceSettings, entries: [CheckEntry], monitor: HealthMonitor, factory: ProbeFactory) {
        self.service = service.name
        self.monitor = monitor
        primary = entries.filter { $0.owner == .site(service: service.name, site: .primary) }
            .map { ($0.key, factory.probe(for: $0.settings, maxLag: service.maxLag)) }
        witnesses = entries.filter { $0.owner == .witness }.map { ($0.key, factory.probe(for: $0.settings, maxLag: nil)) }
        standby = entries.filter { $0.owner == .site(service: service.name, site: .standby) }
            .map { ($0.key, factory.probe(for: $0.settings, maxLag: service.maxLag)) }
    }

    /// Every check of the service and every witness once, together (`lifeboat drill --dry-run`).
    func sweep() async -> [DrillPlan.Check] {
        let jobs = primary.map { ("primary", $0.key, $0.probe) } + standby.map { ("standby", $0.key, $0.probe) }
            + witnesses.map { ("witness", $0.key, $0.probe) }
        let results = await Self.runTogether(jobs.map(\.2))
        return zip(jobs, results).map { job, result in
            let message = result.success ? result.message : "\(result.reason?.rawValue ?? "failed"): \(result.message)"
            return DrillPlan.Check(site: job.0, check: job.1.name, success: result.success, message: message,
                                   durationMs: Int(result.duration.wholeMilliseconds))
        }
    }

    func run() async -> ConfirmationRound {
        let notUp = Set(await monitor.notUpChecks(of: .site(service: service, site: .primary)))
        let chosen = primary.filter { notUp.isEmpty || notUp.contains($0.key) }
        // The primary's checks first, then the witnesses, each by key.
        let jobs = chosen.sorted { $0.key < $1.key }.map { (true, $0.key, $0.probe) }
            + witnesses.sorted { $0.key < $1.key }.map { (false, $0.key, $0.probe) }
        let results = zip(jobs, await Self.runTogether(jobs.map(\.2))).map { ($0.0, $0.1, $1) }
        let primaryFailing = results.contains { $0.0 && !$0.2.success }
        let witnessResults = results.filter { !$0.0 }
        let witnessUp = witnessResults.isEmpty || witnessResults.contains { $0.2.success }
        let detail = results.map { _, key, result in
            return "\(key.name): " + (result.success ? "ok" : "\(result.reason?.rawValue ?? "failed")")
        }.joined(separator: ", ")
        return ConfirmationRound(primaryFailing: primaryFailing, witnessUp: witnessUp, detail: detail)
    }

    /// Runs `probes` at once; their results in the same order.
    private static func runTogether(_ probes: [any Probe]) async -> [ProbeResult] {
        await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (index, probe) in probes.enumerated() {
                group.addTask { (index, await probe.run()) }
            }
            var results: [(Int, ProbeResult)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
