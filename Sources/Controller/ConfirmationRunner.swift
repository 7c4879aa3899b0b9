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
        return await withTaskGroup(of: (Int, DrillPlan.Check).self) { group in
            for (index, (site, key, probe)) in jobs.enumerated() {
                group.addTask {
                    let result = await probe.run()
                    let message = result.success ? result.message : "\(result.reason?.rawValue ?? "failed"): \(result.message)"
                    return (index, DrillPlan.Check(site: site, check: key.name, success: result.success, message: message,
                                                   durationMs: Int(result.duration.wholeMilliseconds)))
                }
            }
            var rows: [(Int, DrillPlan.Check)] = []
            for await row in group { rows.append(row) }
            return rows.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func run() async -> ConfirmationRound {
        let notUp = Set(await monitor.notUpChecks(of: .site(service: service, site: .primary)))
        let chosen = primary.filter { notUp.isEmpty || notUp.contains($0.key) }
        let jobs = chosen.map { (true, $0.key, $0.probe) } + witnesses.map { (false, $0.key, $0.probe) }
        let results = await withTaskGroup(of: (Bool, CheckKey, ProbeResult).self) { group in
            for (isPrimary, key, probe) in jobs {
                group.addTask { (isPrimary, key, await probe.run()) }
            }
            var collected: [(Bool, CheckKey, ProbeResult)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { ($0.0 ? 0 : 1, $0.1) < ($1.0 ? 0 : 1, $1.1) }
        }
        let primaryFailing = results.contains { $0.0 && !$0.2.success }
        let witnessResults = results.filter { !$0.0 }
        let witnessUp = witnessResults.isEmpty || witnessResults.contains { $0.2.success }
        let detail = results.map { _, key, result in
            return "\(key.name): " + (result.success ? "ok" : "\(result.reason?.rawValue ?? "failed")")
        }.joined(separator: ", ")
        return ConfirmationRound(primaryFailing: primaryFailing, witnessUp: witnessUp, detail: detail)
    }
}
