public import ArgumentParser
import Controller
import Coordination
import DNSAuthority
import DNSServer
import Hummingbird
import HummingbirdCore
import LifeboatConfig
import Logging
import NativeClients
import SystemIO
import NIOCore
import NIOPosix
import ServiceLifecycle
import StatusWeb

/// `lifeboatd`: the daemon. It serves DNS (every zone of `dns.zones_dir` on every `dns.listen`
/// address), runs the checks and the failover controller, and serves the status page, `/api/v1`
/// and `/metrics` on `http.listen`; SIGHUP reloads configuration and zones, SIGTERM/SIGINT stop
/// it gracefully; under systemd (`NOTIFY_SOCKET`) it reports readiness, status and the watchdog.
public struct DaemonCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "lifeboatd",
        abstract: "Lifeboat's daemon: authoritative DNS, health checks and the failover controller.",
        discussion: """
            Signals: SIGHUP re-reads the configuration (a bad one is refused with its problems and the \
            running one stays) and the zone files (a broken file is reported with file:line and its zone \
            keeps being served as it was); SIGTERM or SIGINT stop it.
            Exit codes: 0 stopped by a signal, 1 could not start (zones, sockets, state, journal), 2 configuration error.
            Log level: LIFEBOAT_LOG_LEVEL (trace, debug, info, notice, warning, error); default info.
            """)

    @Option(help: "The configuration file.")
    var config: String = ConfigLoader.defaultPath

    /// Created by ArgumentParser.
    public init() {}

    /// Runs it.
    public func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: ProcessInfoLite.environment("LIFEBOAT_LOG_LEVEL") ?? "info") ?? .info
            return handler
        }
        let logger = Logger(label: "lifeboatd")
        let files = FileLimit.raise()
        logger.info("process.nofile", metadata: ["nofile.before": "\(files.before)", "nofile.now": "\(files.after)"])
        let configuration: LifeboatConfiguration
        do {
            configuration = try ConfigLoader.load(path: config)
        } catch {
            for problem in error.problems { logger.critical("config.invalid", metadata: ["config.problem": "\(problem)"]) }
            throw ExitCode(2)
        }
        let runtime = DaemonRuntime()
        do {
            try await serve(configuration, runtime: runtime, logger: logger)
        } catch let failure as StartFailure {
            logger.critical("\(failure.event)", metadata: ["error": "\(failure.error)"])
            await runtime.shutdown()
            throw ExitCode(1)
        }
        await runtime.shutdown()
        logger.notice("lifeboatd.stopped")
    }

    /// Builds every part on `runtime` and runs them until a shutdown signal; a part that cannot
    /// start throws a `StartFailure` naming it.
    private func serve(_ configuration: LifeboatConfiguration, runtime: DaemonRuntime, logger: Logger) async throws {
        let group = runtime.group
        let keys = try StartFailure.naming("dns.tsig.unusable") { try TSIGKeyFiles.load(configuration.dns.tsig) }
        let notifier = NotifySender(
            targets: configuration.dns.notify.map { target in (target.address, keys.first { $0.name == target.key }) },
            group: group, logger: logger)
        let authority = try StartFailure.naming("dns.zones.unusable") {
            try ZoneAuthority(
                zonesDirectory: configuration.dns.zonesDirectory, stateDirectory: configuration.stateDirectory,
                logger: logger, journalSize: configuration.dns.ixfrJournalSize, onChange: { notifier.notify(zone: $0, serial: $1) })
        }
        let (curl, mysql, token) = try StartFailure.naming("lifeboatd.start.failed") {
            let (curl, mysql) = try runtime.startClients()
            return (curl, mysql, TokenStore(try SecretFile.read(configuration.http.tokenFile)))
        }
        let metrics = PrometheusMetrics()
        // In a cluster the leader publishes zone states through etcd; standalone, the authority is the zone.
        let webhooksNow = WebhookNotifier(webhooks: configuration.webhooks, curl: curl, logger: logger)
        let conductor = try StartFailure.naming("cluster.start.failed") {
            try configuration.cluster.map { settings in
                try ClusterConductor(settings: settings, curl: curl, logger: logger, onNotice: { webhooksNow.notify(service: "cluster", $0) })
            }
        }
        let zone: any ZonePublisher = if let conductor {
            ClusterZonePublisher(
                authority: authority, board: ZoneStateBoard(client: conductor.client, cluster: conductor.settings.name),
                session: conductor.session)
        } else {
            LocalZonePublisher(authority: authority)
        }
        // Builds a controller for a configuration (at start, and again when SIGHUP changes services).
        let makeController: @Sendable (LifeboatConfiguration) async throws -> Controller = { configuration in
            let webhooks = WebhookNotifier(webhooks: configuration.webhooks, curl: curl, logger: logger)
            return try await Controller(
                configuration: configuration, zone: zone, curl: curl, mysql: mysql, pool: runtime.pool, group: group, logger: logger,
                metrics: metrics, cluster: conductor, onNotice: { service, notice in webhooks.notify(service: service, notice) })
        }
        let host = ControllerHost(try await StartFailure.naming("controller.start.failed") { try await makeController(configuration) })
        var cluster: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let conductor {
            let follower = await ClusterService.follower(conductor: conductor, authority: authority, logger: logger)
            cluster.append(.init(service: ClusterService(conductor: conductor, follower: follower, host: host)))
        }
        var settings = DNSServerSettings(
            listen: configuration.dns.listen, allowTransfer: configuration.dns.allowTransfer,
            tcpIdleTimeout: configuration.dns.tcpIdleTimeout, tcpMaxConnections: configuration.dns.tcpMaxConnections)
        settings.tcpMaxPerClient = configuration.dns.tcpMaxPerClient
        settings.keys = keys
        settings.rateLimit = configuration.dns.rrl
        let server = DNSServer(settings: settings, store: authority.store, group: group, logger: logger)
        let readiness = Readiness(needed: ["dns", "http"])
        let http = Application(
            router: StatusRoutes.router(
                source: HostedStatusSource(host: host, dnsCounts: { await server.queryCounts() }, dnsEvents: { server.eventCounts() }), token: token, metrics: metrics),
            // Idle connections are closed after 10 s and at most 4,096 are open, far below the
            // file descriptors the daemon keeps for its checks (FileLimit raises the soft limit).
            server: .http1(configuration: .init(idleTimeout: .seconds(10))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.http.listen.address.description, port: Int(configuration.http.listen.port)),
                serverName: "Lifeboat", availableConnectionsDelegate: MaximumAvailableConnections(4096)),
            onServerRunning: { _ in await readiness.mark("http") },
            eventLoopGroupProvider: .shared(group), logger: logger)
        let systemd = SystemdNotifier()
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: DNSService(server: server, readiness: readiness)),
                .init(service: ControllerService(host: host)),
                .init(service: http),
                .init(service: ReloadOnHangup(
                    configPath: config, initial: configuration, authority: authority, token: token, host: host,
                    makeController: makeController, notifier: systemd, logger: logger)),
                .init(service: SystemdService(notifier: systemd, readiness: readiness, host: host)),
            ] + cluster,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await StartFailure.naming("lifeboatd.failed") { try await services.run() }
    }
}
