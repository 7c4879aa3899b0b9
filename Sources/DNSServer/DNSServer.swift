public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix
public import DNSQuery
import LifeboatConfig


#if canImport(Glibc)
import Glibc
#endif

/// The authoritative server's sockets: per listen address, one UDP worker thread per usable
/// core (each its own SO_REUSEPORT socket, batched reads and writes) and one TCP listener on
/// the event loops.
public final class DNSServer: Sendable {
    private let settings: DNSServerSettings
    private let store: SnapshotStore
    private let group: any EventLoopGroup
    private let logger: Logger
    private let channels = NIOLockedValueBox<[any Channel]>([])
    private let workers = NIOLockedValueBox<[UDPWorker]>([])
    private let limiter: ConnectionLimiter
    private let tcpCounts = SharedQueryCounts()
    private let events = DNSEventCounter()

    /// Creates the server; nothing is bound until `start()`.
    public init(settings: DNSServerSettings, store: SnapshotStore, group: any EventLoopGroup, logger: Logger) {
        self.settings = settings
        self.store = store
        self.group = group
        self.logger = logger
        limiter = ConnectionLimiter(limit: settings.tcpMaxConnections, perClient: settings.tcpMaxPerClient, events: events)
    }

    /// Binds every listener; returns the bound addresses (with the real port where 0 was asked).
    @discardableResult
    public func start() async throws -> [NIOCore.SocketAddress] {
        var bound: [NIOCore.SocketAddress] = []
        for address in settings.listen {
            let host = address.address.description
            // Port 0 takes the port the first UDP socket gets; that number may be taken for TCP,
            // so then everything is closed and another port is tried.
            var attempts = address.port == 0 ? 20 : 1
            while true {
                attempts -= 1
                do {
                    let (workers, channels, local) = try await bindAll(address.address, port: address.port)
                    self.channels.withLockedValue { $0 += channels }
                    self.workers.withLockedValue { $0 += workers }
                    for worker in workers { worker.start() }
                    bound.append(local)
                    let buffer = workers.map(\.receiveBufferBytes).min() ?? 0
                    logger.notice("dns.listening", metadata: [
                        "dns.address": "\(host)", "dns.port": "\(local.port ?? 0)", "dns.udp_receive_buffer": "\(buffer)"])
                    if buffer < 2 * Int(UDPWorker.askedReceiveBuffer) {
                        logger.warning("dns.udp_receive_buffer.small", metadata: [
                            "dns.udp_receive_buffer": "\(buffer)",
                            "hint": "a burst while lifeboatd is starved of CPU is dropped past this; net.core.rmem_max >= \(UDPWorker.askedReceiveBuffer) (sysctl) or CAP_NET_ADMIN gives the 1 MiB asked"])
                    }
                    break
                } catch let error as IOError where error.errnoCode == EADDRINUSE && attempts > 0 {
                    continue
                }
            }
        }
        return bound
    }

    /// The UDP workers and the TCP listener on `address`:`port` (0: any free port).
    private func bindAll(_ address: IPAddress, port requested: UInt16) async throws -> ([UDPWorker], [any Channel], NIOCore.SocketAddress) {
        var workers: [UDPWorker] = []
        var port = requested
        do {
            for index in 0..<(settings.udpWorkers ?? CPUAffinity.usableCores) {
                var rateLimit = settings.rateLimit
                rateLimit.exempt += settings.allowTransfer.map(\.network)
                let worker = try UDPWorker(address: address, port: port, store: store, name: "lifeboat-udp\(index)",
                                           keys: settings.keys, events: events, rateLimit: rateLimit)
                workers.append(worker)
                if port == 0 { port = worker.port }
            }
            let tcp = try await tcpBootstrap().bind(host: address.description, port: Int(port)).get()
            guard let local = tcp.localAddress else { throw IOError(errnoCode: EADDRNOTAVAIL, reason: "no local address") }
            return (workers, [tcp], local)
        } catch {
            for worker in workers { worker.stop() }
            throw error
        }
    }

    /// Queries answered so far by transport (`udp`, `tcp`), each by response code.
    public func queryCounts() async -> [String: QueryCounts] {
        let udp = workers.withLockedValue { $0 }.reduce(QueryCounts()) { $0 + $1.counts }
        return ["udp": udp, "tcp": tcpCounts.value]
    }

    /// What the server did besides answering (TCP connections closed, transfers by kind), for `/metrics`.
    public func eventCounts() -> [DNSEvent: UInt64] {
        var counts = events.value
        let limited = workers.withLockedValue { $0 }.map(\.limitedCounts)
        let dropped = limited.reduce(0) { $0 + $1.dropped }, slipped = limited.reduce(0) { $0 + $1.slipped }
        if dropped > 0 { counts[DNSEvent("rrl", "action", "dropped")] = dropped }
        if slipped > 0 { counts[DNSEvent("rrl", "action", "slipped")] = slipped }
        return counts
    }

    /// Closes every listener.
    public func stop() async {
        let open = channels.withLockedValue { channels in
            defer { channels.removeAll() }
            return channels
        }
        for channel in open {
            try? await channel.close()
        }
        let stopped = workers.withLockedValue { workers in
            defer { workers.removeAll() }
            return workers
        }
        for worker in stopped { worker.stop() }
    }

    private func tcpBootstrap() -> ServerBootstrap {
        let store = self.store
        let policy = TransferPolicy(allowed: settings.allowTransfer)
        let limiter = self.limiter
        let tcpCounts = self.tcpCounts
        let events = self.events
        let keys = settings.keys
        let idle = TimeAmount(settings.tcpIdleTimeout)
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(MessageDeadlineHandler(timeout: idle, events: events))
                    try pipeline.addHandler(ByteToMessageHandler(DNSFrameDecoder()))
                    try pipeline.addHandler(TCPQueryHandler(
                        store: store, policy: policy, keys: keys, limiter: limiter, counts: tcpCounts, events: events))
                }
            }
    }
}
