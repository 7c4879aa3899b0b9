import Foundation
public import LifeboatConfig
public import LifeboatCore
public import Logging
public import NativeClients
public import NIOCore
public import NIOPosix
import Probes
import StandbyActions

/// Lifeboat's controller: every check on its schedule, the health they add up to, and one
/// `ServiceController` per service carrying out its failovers and failbacks.
public final class Controller: Sendable {
    /// The health of every check, site and witness.
    public let monitor: HealthMonitor
    /// The services, in configuration order.
    public let services: [ServiceController]
    private let scheduler: ProbeScheduler
    private let logger: Logger
    /// This site's part in its cluster (nil standalone).
    public let cluster: ClusterConductor?

    /// Builds the controller: journals read, state machines restored, probes made.
    /// `onNotice` hears every state change and failed step (webhooks); it must not block.
    public init(
        configuration: LifeboatConfiguration, zone: any ZonePublisher, curl: CurlMulti, mysql: any MySQLConnector, pool: NIOThreadPool,
        group: any EventLoopGroup, logger: Logger, metrics: any ControllerMetrics = NoMetrics(),
        cluster: ClusterConductor? = nil, onNotice: @escaping @Sendable (String, FailoverNotice) -> Void = { _, _ in }
    ) async throws {
        self.logger = logger
        self.cluster = cluster
        let entries = CheckEntry.all(in: configuration)
        let monitor = HealthMonitor(entries: entries, configuration: configuration, metrics: metrics, logger: logger)
        self.monitor = monitor
        let factory = ProbeFactory(curl: curl, mysql: mysql, group: group, sourceAddress: configuration.cluster?.sourceAddress?.description)
        var controllers: [ServiceController] = []
        for (index, service) in configuration.services.enumerated() {
            let confirm = ConfirmationRunner(
                service: service, entries: entries, monitor: monitor, factory: factory)
            controllers.append(try await Self.makeService(
                service, serviceKey: "service[\(index)]", stateDirectory: configuration.stateDirectory, zone: zone, curl: curl, pool: pool,
                logger: logger, metrics: metrics, confirm: { await confirm.run() }, onNotice: onNotice, gate: cluster,
                measuredDataAsOf: { [monitor] in await monitor.dataAsOf(service: service.name) },
                sweep: { await confirm.sweep() },
                watch: PropagationWatch.Setup(secondaries: configuration.dns.notify.map(\.address), asker: DNSAsker(group: group))))
        }
        services = controllers
        await monitor.attach(Dictionary(uniqueKeysWithValues: controllers.map { ($0.name, $0) }))

        let witnessInterval = configuration.services.map(\.interval).min() ?? .seconds(2)
        let witnessFastInterval = configuration.services.map(\.fastInterval).min() ?? .milliseconds(200)
        scheduler = ProbeScheduler(entries.map { entry in
            let service = configuration.services.first { if case .site(let name, _) = entry.owner { $0.name == name } else { false } }
            let probe = factory.probe(for: entry.settings, maxLag: service?.maxLag)
            return ProbeScheduler.Entry(
                probe: KeyedProbe(key: entry.key, probe: probe), interval: service?.interval ?? witnessInterval,
                fastInterval: service?.fastInterval ?? witnessFastInterval)
        })
    }

    private static func makeService(
        _ service: ServiceSettings, serviceKey: String, stateDirectory: String, zone: any ZonePublisher, curl: CurlMulti, pool: NIOThreadPool,
        logger: Logger, metrics: any ControllerMetrics, confirm: @escaping @Sendable () async -> ConfirmationRound,
        onNotice: @escaping @Sendable (String, FailoverNotice) -> Void, gate: (any ClusterGate)?,
        measuredDataAsOf: @escaping @Sendable () async -> Date?, sweep: @escaping @Sendable () async -> [DrillPlan.Check],
        watch: PropagationWatch.Setup
    ) async throws -> ServiceController {
        let journal = try Journal(stateDirectory: stateDirectory, service: service.name)
        let records = try journal.load()
        let plan = StandbyExecutor.plan(for: service)
        // What caches may hold now: the TTL served (the zone file's, before the first switch) or `ttl`.
        var servedTTLs: [Int] = []
        for owner in service.owners {
            if let ttl = await zone.servedTTL(of: owner) { servedTTLs.append(Int(ttl)) }
        }
        var policy = FailoverPolicy(
            automaticFailback: service.failback == .auto, holddown: service.holddown,
            minFailoverInterval: service.minFailoverInterval, drain: .seconds(service.ttl) + service.drainGrace,
            stepRetries: service.stepRetries, confirmationRetry: service.interval, serveOnFailure: service.readOnly.serveOnFailure,
            refresh: service.refresh.map {
                RefreshPolicy(
                    schedule: $0.schedule, timeZone: service.timeZone.flatMap(TimeZone.init(identifier:)) ?? .current,
                    timeout: $0.timeout, maxLag: service.maxLag)
            },
            ttlWait: switchoverWait(service, servedTTLs: servedTTLs))
        policy.drillHold = service.drillHold
        policy.drainAwaitsPropagation = service.drainWaitsForPropagation && !(service.resolvers.isEmpty && watch.secondaries.isEmpty)
        let restored = await ServiceController.restoredMachine(records: records, plan: plan, policy: policy, settings: service, zone: zone)
        let executor = try StandbyExecutor(service: service, serviceKey: serviceKey, stateDirectory: stateDirectory, pool: pool, curl: curl)
        return ServiceController(
            settings: service, machine: restored.machine, restoreActions: restored.actions, journal: journal, history: records,
            executor: executor, zone: zone, logger: logger, metrics: metrics, confirm: confirm, onNotice: onNotice,
            plan: plan, policy: policy, gate: gate, measuredDataAsOf: measuredDataAsOf, sweep: sweep, watch: watch)
    }

    /// Resumes the services and runs the checks until the task is cancelled.
    public func run() async {
        for service in services { await service.start() }
        await scheduler.run { result, _ in await self.monitor.record(result) }
    }

    /// Runs every service's read-only preflight now (a SIGHUP asks for it).
    public func runPreflights() async {
        for service in services { await service.runPreflight() }
    }

    /// Lets running steps end (and be journaled) before the process exits.
    public func shutdown() async {
        for service in services { await service.shutdown() }
    }

    /// Carries out an operator's command on the service of this name (nil: none); in a cluster,
    /// a site that does not lead sends it to the leader.
    public func command(_ command: OperatorCommand, service name: String) async -> (reply: CommandReply, phase: FailoverPhase)? {
        guard let service = service(named: name) else { return nil }
        if let cluster, await service.passive, !cluster.status.leading {
            return await cluster.forward(command, service: name, phase: await service.phase)
        }
        return await service.command(command)
    }

    /// The service of this name.
    public func service(named name: String) -> ServiceController? {
        services.first { $0.name == name }
    }

    /// The status of everything.
    public func status() async -> StatusReport {
        var statuses: [ServiceStatus] = []
        for service in services { statuses.append(await service.status(monitor: monitor)) }
        var report = StatusReport(
            generatedAt: Date(), version: ProbeIdentity.version, isolated: await monitor.isolated, services: statuses,
            witnesses: await monitor.checks(of: .witness))
        report.localProblem = await monitor.localProblem
        report.cluster = cluster?.status
        return report
    }

    /// Whether a service has a sequence, running or stopped in ERROR: a configuration reload
    /// waits for it to end (`retry` finishing it, or `abort`), so the steps it runs or resumes
    /// are the ones it started with.
    public func sequencePresent() async -> Bool {
        for service in services where await service.hasSequence { return true }
        return false
    }


    /// One line for systemd's STATUS=: each service's phase and its sites' health.
    public func summary() async -> String {
        var parts: [String] = []
        for service in services {
            let status = await service.status(monitor: monitor)
            parts.append("\(status.name): \(status.phase.rawValue)\(status.paused ? " (paused)" : "") (primary \(status.primary.state), standby \(status.standby.state))")
        }
        return parts.joined(separator: "; ") + (await monitor.isolated ? "; ISOLATED" : "")
    }

    /// The newest `limit` history entries of every service (or one), newest first.
    public func history(service name: String? = nil, limit: Int = 200) async -> [HistoryEntry] {
        var entries: [(order: Int, entry: HistoryEntry)] = []
        for service in services where name == nil || service.name == name {
            entries += await service.records().enumerated().map { ($0.offset, $0.element.historyEntry(service: service.name)) }
        }
        // Records of one event share an instant: their journal order breaks the tie.
        let sorted = entries.sorted { $0.entry.at != $1.entry.at ? $0.entry.at > $1.entry.at : $0.order > $1.order }
        return sorted.prefix(limit).map(\.entry)
    }
}

/// A probe whose results carry the check's unique key (written out) instead of its name.
struct KeyedProbe: Probe {
    let key: CheckKey
    let probe: any Probe
    var name: String { key.description }

    func run() async -> ProbeResult {
        var result = await probe.run()
        result.check = key.description
        return result
    }
}

/// A switchover's wait after lowering the TTL: the longest TTL caches may hold — the configured
/// `ttl`, or what is served now if longer (the zone file's, before the first switch) — plus
/// `drain_grace`; nil when `switchover_ttl` lowers nothing.
func switchoverWait(_ service: ServiceSettings, servedTTLs: [Int]) -> Duration? {
    let old = max(service.ttl, servedTTLs.max() ?? 0)
    return service.switchoverTTL < old ? .seconds(old) + service.drainGrace : nil
}
