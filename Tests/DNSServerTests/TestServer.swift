import DNSAuthority
import DNSQuery
import DNSServer
import DNSZone
import Foundation
import LifeboatConfig
import Logging
import NIOCore
import NIOPosix

/// Lifeboat's DNS server running in the test process on 127.0.0.1 and ::1, on a free port.
final class TestServer: Sendable {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    let authority: ZoneAuthority
    let server: DNSServer
    let port: Int
    let zonesDirectory: String
    let stateDirectory: String

    /// Starts serving the zones in `zonesDirectory` (a new one with the test zone by default).
    static func start(
        zonesDirectory: String? = nil, stateDirectory: String? = nil, allowTransfer: [String] = ["127.0.0.1"],
        notify: [LifeboatConfig.SocketAddress] = [], idleTimeout: Duration = .seconds(10), maxConnections: Int = 100,
        maxPerClient: Int = 10, udpWorkers: Int? = nil, keys: [TSIGKey] = [], keyedTransfer: [TransferPermission] = [],
        journalSize: Int = 100, notifyKey: TSIGKey? = nil, rateLimit: RRLSettings = RRLSettings(responsesPerSecond: 0)
    ) async throws -> TestServer {
        let zones = try zonesDirectory ?? makeZonesDirectory()
        let state = stateDirectory ?? NSTemporaryDirectory() + "lifeboat-state-\(UUID().uuidString)"
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let notifier = NotifySender(targets: notify.map { ($0, notifyKey) }, group: group, logger: logger,
                                    timeouts: [.milliseconds(500), .seconds(1), .seconds(2)])
        let authority = try ZoneAuthority(
            zonesDirectory: zones, stateDirectory: state, logger: logger, journalSize: journalSize,
            onChange: { notifier.notify(zone: $0, serial: $1) })
        var settings = DNSServerSettings(
            listen: [LifeboatConfig.SocketAddress(address: IPAddress("127.0.0.1")!, port: 0)],
            allowTransfer: allowTransfer.map { TransferPermission(network: try! IPNetwork.parse($0).get()) } + keyedTransfer,
            tcpIdleTimeout: idleTimeout, tcpMaxConnections: maxConnections)
        settings.udpWorkers = udpWorkers
        settings.tcpMaxPerClient = maxPerClient
        settings.keys = keys
        settings.rateLimit = rateLimit
        let server = DNSServer(settings: settings, store: authority.store, group: group, logger: logger)
        let bound = try await server.start()
        return TestServer(authority: authority, server: server, port: bound[0].port!, zonesDirectory: zones, stateDirectory: state)
    }

    private init(authority: ZoneAuthority, server: DNSServer, port: Int, zonesDirectory: String, stateDirectory: String) {
        self.authority = authority
        self.server = server
        self.port = port
        self.zonesDirectory = zonesDirectory
        self.stateDirectory = stateDirectory
    }

    func stop() async {
        await server.stop()
    }
}
