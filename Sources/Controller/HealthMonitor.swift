public import Foundation
import LifeboatConfig
public import LifeboatCore
import Logging
public import Probes

/// Turns probe results into health: the board's hysteresis, the witnesses, each check's recent
/// runs for the status page; site and isolation changes go to the service controllers.
public actor HealthMonitor {
    private var board = HealthBoard<CheckKey>()
    /// By the key written out: the form the scheduled probes report it in (`KeyedProbe`).
    private let entries: [String: CheckEntry]
    private var runs: [CheckKey: [CheckRun]] = [:]
    /// What each site's service was last told: its state and why.
    private var reported: [CheckOwner: (state: HealthState, detail: String)] = [:]
    private var services: [String: ServiceController] = [:]
    /// Per service: when the standby's data was taken, by its last MySQL check that measured a
    /// lag (replication running, or `lag_query`): the run's time less the lag.
    private var standbyDataAsOf: [String: Date] = [:]
    private let logger: Logger
    private let metrics: any ControllerMetrics
    private static let kept = 20

    init(entries: [CheckEntry], configuration: LifeboatConfiguration, metrics: any ControllerMetrics, logger: Logger) {
        self.entries = Dictionary(uniqueKeysWithValues: entries.map { ($0.key.description, $0) })
        self.logger = logger
        self.metrics = metrics
        let witnessFall = configuration.services.map(\.fall).min() ?? 3
        let witnessRise = configuration.services.map(\.rise).min() ?? 3
        for entry in entries {
            switch entry.owner {
            case .witness:
                board.add(check: entry.key, owner: .witness, fall: witnessFall, rise: witnessRise)
            case .site(let name, _):
                let service = configuration.services.first { $0.name == name }
                board.add(check: entry.key, owner: entry.owner, fall: service?.fall ?? 3, rise: service?.rise ?? 3)
            }
        }
    }

    func attach(_ controllers: [String: ServiceController]) {
        services = controllers
    }

    /// Whether every witness is down.
    public var isolated: Bool { board.isolated }

    private var lastLocal: (at: Date, message: String)?

    /// The last local failure within the last 2 minutes, in words.
    public var localProblem: String? {
        guard let lastLocal, Date().timeIntervalSince(lastLocal.at) < 120 else { return nil }
        return "Lifeboat's own host could not run a check at \(HumanTime.clock(lastLocal.at)): \(lastLocal.message)"
    }

    /// Records one run (its `check` is the entry's key) and passes on what changed. Returns the
    /// pace of the check's next run: fast while its state is changing.
    @discardableResult
    public func record(_ result: ProbeResult) async -> ProbeScheduler.Pace {
        guard let entry = entries[result.check] else { return .normal }
        defer { metrics.checkPace(check: entry.key.description, fast: board.hysteresis(ofCheck: entry.key)?.isChanging ?? false) }
        metrics.checkRan(check: entry.key.description, duration: result.duration, success: result.success, reason: result.reason?.rawValue)
        let run = CheckRun(
            at: Date(), success: result.success, reason: result.reason, message: result.message,
            durationMs: result.duration.timeInterval * 1000, httpStatus: result.httpStatus, lagSeconds: result.lagSeconds,
            certificateDaysLeft: result.certificateDaysLeft)
        runs[entry.key, default: []].append(run)
        if runs[entry.key]!.count > Self.kept { runs[entry.key]!.removeFirst() }
        if result.reason == .local {
            // Our own failure says nothing about the site: no hysteresis count either way.
            lastLocal = (Date(), "\(entry.settings.name): \(result.message)")
            logger.critical("check.local", metadata: ["check.owner": "\(entry.key)", "check.message": "\(result.message)"])
            switch entry.owner {
            case .site(let service, _): await services[service]?.localFailure(check: entry.settings.name, message: result.message)
            case .witness: for service in services.values { await service.localFailure(check: entry.settings.name, message: result.message) }
            }
            return pace(of: entry.key)
        }
        for change in board.record(check: entry.key, success: result.success) {
            switch change {
            case .check(_, _, let state):
                logger.notice("check.state", metadata: [
                    "check.name": "\(entry.settings.name)", "check.owner": "\(entry.key)", "check.state": "\(state)",
                    "check.reason": "\(result.reason?.rawValue ?? "ok")", "check.message": "\(result.message)"])
            case .isolated(let value):
                logger.warning("witness.isolated", metadata: ["isolated": "\(value)"])
                for service in services.values { await service.send(.isolated(value)) }
            case .site:
                break  // sites are reported below, with their detail, whenever either changes
            }
        }
        if case .site(let service, .standby) = entry.owner, case .mysql = entry.settings.kind, let lag = result.lagSeconds {
            standbyDataAsOf[service] = Date().addingTimeInterval(-Double(lag))
        }
        if case .site(let service, .standby) = entry.owner, result.reason == .standbyWritable {
            await services[service]?.standbyWritable()
        }
        if case .site(let service, let site) = entry.owner {
            let state = board.state(service: service, site: site)
            let detail = siteDetail(owner: entry.owner, state: state)
            if reported[entry.owner]?.state != state || reported[entry.owner]?.detail != detail {
                reported[entry.owner] = (state, detail)
                await services[service]?.send(.site(site, state, detail: detail))
            }
        }
        return pace(of: entry.key)
    }

    private func pace(of key: CheckKey) -> ProbeScheduler.Pace {
        board.hysteresis(ofCheck: key)?.isChanging == true ? .fast : .normal
    }

    /// Why a site is in its state: the failing checks with their last reason and message.
    private func siteDetail(owner: CheckOwner, state: HealthState) -> String {
        let mine = entries.values.filter { $0.owner == owner }.sorted { $0.key < $1.key }
        switch state {
        case .up:
            return "all \(mine.count) checks up"
        case .down:
            return mine.filter { board.state(ofCheck: $0.key) == .down }.map { entry in
                let last = runs[entry.key]?.last
                return "\(entry.settings.name): \(last?.reason?.rawValue ?? "down") (\(last?.message ?? ""))"
            }.joined(separator: "; ")
        case .unknown:
            let waiting = mine.filter { board.state(ofCheck: $0.key) == .unknown }.map(\.settings.name)
            return "waiting for results of \(waiting.joined(separator: ", "))"
        }
    }

    /// When the standby's data of `service` was taken, as its checks last measured it (nil: never).
    public func dataAsOf(service: String) -> Date? { standbyDataAsOf[service] }

    /// The checks of an owner, for the status.
    public func checks(of owner: CheckOwner) -> [CheckStatus] {
        entries.values.filter { $0.owner == owner }.sorted { $0.key < $1.key }.map { entry in
            let filter = board.hysteresis(ofCheck: entry.key)
            return CheckStatus(
                name: entry.settings.name, type: entry.type, state: filter?.state ?? .unknown,
                consecutiveFailures: filter?.consecutiveFailures ?? 0, consecutiveSuccesses: filter?.consecutiveSuccesses ?? 0,
                last: runs[entry.key]?.last, recent: runs[entry.key]?.map(\.success) ?? [], fastPhase: filter?.isChanging ?? false,
                recentMs: runs[entry.key]?.map(\.durationMs) ?? [])
        }
    }

    /// The keys of `owner`'s checks that are not up (down, or on their way).
    func notUpChecks(of owner: CheckOwner) -> [CheckKey] {
        entries.values.filter { $0.owner == owner && board.hysteresis(ofCheck: $0.key)?.state != .up }.map(\.key).sorted()
    }

    /// A site's state and detail.
    public func site(service: String, site: SiteRole) -> (state: HealthState, detail: String) {
        let owner = CheckOwner.site(service: service, site: site)
        let state = board.state(service: service, site: site)
        return (state, reported[owner]?.detail ?? siteDetail(owner: owner, state: state))
    }
}
