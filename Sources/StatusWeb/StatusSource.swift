public import Controller
public import DNSQuery
public import LifeboatCore

/// What the HTTP surface reads and commands: the daemon's hosted controller, or a fake in tests.
public protocol StatusSource: Sendable {
    /// The status of everything.
    func status() async -> StatusReport
    /// Whether a service of that name exists (cheap: no status is built).
    func hasService(named name: String) async -> Bool
    /// One service's status; nil when there is no service of that name.
    func service(named name: String) async -> ServiceStatus?
    /// The newest `limit` history entries of every service (or one), newest first; nil when
    /// `service` names no service.
    func history(service: String?, limit: Int) async -> [HistoryEntry]?
    /// Carries out an operator command; nil when there is no service of that name.
    func command(_ command: OperatorCommand, service: String) async -> (reply: CommandReply, phase: FailoverPhase)?
    /// Queries answered per listener, for `/metrics`.
    func dnsCounts() async -> [String: QueryCounts]
    /// What the DNS server did besides answering (TCP closes, transfers, …), for `/metrics`.
    func dnsEvents() async -> [DNSEvent: UInt64]
    /// `drill --dry-run` for a service; nil when there is no service of that name.
    func drillPlan(service: String) async -> DrillPlan?
    /// The last drill's report of a service (`.some(nil)`: none yet); nil when there is no such service.
    func drillReport(service: String) async -> DrillReport??
}

extension StatusSource {
    public func dnsEvents() async -> [DNSEvent: UInt64] { [:] }
    public func drillPlan(service: String) async -> DrillPlan? { nil }
    public func drillReport(service: String) async -> DrillReport?? { nil }
}

/// The daemon's source: the controller hosted now, and the DNS server's counters.
public struct HostedStatusSource: StatusSource {
    private let host: ControllerHost
    private let counts: @Sendable () async -> [String: QueryCounts]
    private let events: @Sendable () async -> [DNSEvent: UInt64]

    /// Reads `host`'s controller each time (a SIGHUP may replace it), and `dnsCounts` and
    /// `dnsEvents` for `/metrics`.
    public init(host: ControllerHost, dnsCounts: @escaping @Sendable () async -> [String: QueryCounts],
                dnsEvents: @escaping @Sendable () async -> [DNSEvent: UInt64] = { [:] }) {
        self.host = host
        counts = dnsCounts
        events = dnsEvents
    }

    public func status() async -> StatusReport { await host.status() }

    public func hasService(named name: String) async -> Bool { host.controller.service(named: name) != nil }

    public func service(named name: String) async -> ServiceStatus? {
        let controller = host.controller
        return await controller.service(named: name)?.status(monitor: controller.monitor)
    }

    public func history(service: String?, limit: Int) async -> [HistoryEntry]? {
        let controller = host.controller
        if let service, controller.service(named: service) == nil { return nil }
        return await controller.history(service: service, limit: limit)
    }

    public func command(_ command: OperatorCommand, service: String) async -> (reply: CommandReply, phase: FailoverPhase)? {
        await host.controller.command(command, service: service)
    }

    public func dnsCounts() async -> [String: QueryCounts] { await counts() }

    public func drillPlan(service: String) async -> DrillPlan? {
        await host.controller.service(named: service)?.drillPlan()
    }

    public func drillReport(service: String) async -> DrillReport?? {
        guard let controller = host.controller.service(named: service) else { return nil }
        return .some(await controller.drillReport())
    }

    public func dnsEvents() async -> [DNSEvent: UInt64] { await events() }
}
