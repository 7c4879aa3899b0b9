public import ArgumentParser
import Controller
import DNSServer
import Hummingbird
import LifeboatConfig
import Logging
import NativeClients
import NIOCore
import NIOPosix
import ServiceLifecycle
import StatusWeb

/// `lifeboatd`: the daemon. It serves DNS (every zone of `dns.zones_dir` on every `dns.listen`
/// address), runs the checks and the failover controller, and answers `/api/v1` on `http.listen`;
/// SIGHUP reloads the zones, SIGTERM/SIGINT stop it gracefully.
public struct DaemonCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "lifeboatd",
        abstract: "Lifeboat's daemon: authoritative DNS, health checks and the failover controller.",
        discussion: """
            Signals: SIGHUP reloads the zone files (a broken file is reported with file:line and the \
            zone keeps being served as it was); SIGTERM or SIGINT stop it.
            Exit codes: 0 stopped by a signal, 1 could not start (zones, sockets, state, journal), 2 configuration error.
            Log level: LIFEBOAT_LOG_LEVEL (trace, debug, info, notice, warning, error); default info.
            """)

    @Option(help: "The configuration file.")
    var config: String = ConfigLoader.defaultPath

    /// Created by ArgumentParser.
    public init() {}

    public func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: ProcessInfoLite.environment("LIFEBOAT_LOG_LEVEL") ?? "info") ?? .info
            return handler
        }
        let logger = Logger(label: "lifeboatd")
        let configuration: LifeboatConfiguration
        do {
            configuration = try ConfigLoader.load(path: config)
        } catch {
            for problem in error.problems { logger.critical("config.invalid", metadata: ["config.problem": "\(problem)"]) }
            throw ExitCode(2)
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: CPUAffinity.usableCores)
        let notifier = NotifySender(targets: configuration.dns.notify, group: group, logger: logger)
        let authority: ZoneAuthority
        do {
            authority = try ZoneAuthority(
                zonesDirectory: configuration.dns.zonesDirectory, stateDirectory: configuration.stateDirectory,
                notifier: notifier, logger: logger)
        } catch {
            logger.critical("dns.zones.unusable", metadata: ["error": "\(error)"])
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        let curl: CurlMulti
        let token: String
        do {
            curl = try CurlMulti()
            token = try SecretFile.read(configuration.http.tokenFile)
        } catch {
            logger.critical("lifeboatd.start.failed", metadata: ["error": "\(error)"])
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        defer { curl.shutdown() }
        let controller: Controller
        do {
            controller = try await Controller(
                configuration: configuration, authority: authority, curl: curl, pool: pool, group: group, logger: logger)
        } catch {
            logger.critical("controller.start.failed", metadata: ["error": "\(error)"])
            try? await pool.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        let http = Application(
            router: StatusRoutes.router(controller: controller, token: token),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.http.listen.address.description, port: Int(configuration.http.listen.port)),
                serverName: "Lifeboat"),
            eventLoopGroupProvider: .shared(group), logger: logger)
        let settings = DNSServerSettings(
            listen: configuration.dns.listen, allowTransfer: configuration.dns.allowTransfer,
            tcpIdleTimeout: configuration.dns.tcpIdleTimeout, tcpMaxConnections: configuration.dns.tcpMaxConnections)
        let server = DNSServer(settings: settings, store: authority.store, group: group, logger: logger)
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: DNSService(server: server)),
                .init(service: ControllerService(controller: controller)),
                .init(service: http),
                .init(service: ReloadOnHangup(authority: authority, logger: logger)),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await services.run()
        } catch {
            logger.critical("lifeboatd.failed", metadata: ["error": "\(error)"])
            try? await pool.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        try? await pool.shutdownGracefully()
        try? await group.shutdownGracefully()
        logger.notice("lifeboatd.stopped")
    }
}
