public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix
public import DNSQuery
import LifeboatConfig

#if canImport(Glibc)
import Glibc
#endif

/// The authoritative server's sockets: per listen address, one UDP channel per event loop
/// (SO_REUSEPORT, vectored reads) and one TCP listener.
public final class DNSServer: Sendable {
    private let settings: DNSServerSettings
    private let store: SnapshotStore
    private let group: any EventLoopGroup
    private let logger: Logger
    private let channels = NIOLockedValueBox<[any Channel]>([])
    private let limiter: ConnectionLimiter
    private let tcpCounts = SharedQueryCounts()

    /// Datagrams read per system call, and the room each gets.
    static let vectorReadCount = 32
    static let datagramRoom = 2048

    /// Creates the server; nothing is bound until `start()`.
    public init(settings: DNSServerSettings, store: SnapshotStore, group: any EventLoopGroup, logger: Logger) {
        self.settings = settings
        self.store = store
        self.group = group
        self.logger = logger
        limiter = ConnectionLimiter(limit: settings.tcpMaxConnections)
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
                    let (channels, local) = try await bindAll(host: host, port: Int(address.port))
                    self.channels.withLockedValue { $0 += channels }
                    bound.append(local)
                    logger.notice("dns.listening", metadata: ["dns.address": "\(host)", "dns.port": "\(local.port ?? 0)"])
                    break
                } catch let error as IOError where error.errnoCode == EADDRINUSE && attempts > 0 {
                    continue
                }
            }
        }
        return bound
    }

    /// One UDP channel per event loop and the TCP listener on `host`:`port` (0: any free port).
    private func bindAll(host: String, port requested: Int) async throws -> ([any Channel], NIOCore.SocketAddress) {
        var opened: [any Channel] = []
        var port = requested
        do {
            for loop in group.makeIterator() {
                let channel = try await udpBootstrap(loop).bind(host: host, port: port).get()
                opened.append(channel)
                if port == 0 { port = channel.localAddress?.port ?? 0 }
            }
            let tcp = try await tcpBootstrap().bind(host: host, port: port).get()
            opened.append(tcp)
            guard let local = tcp.localAddress else { throw IOError(errnoCode: EADDRNOTAVAIL, reason: "no local address") }
            return (opened, local)
        } catch {
            for channel in opened { try? await channel.close() }
            throw error
        }
    }

    /// Queries answered so far by transport (`udp`, `tcp`), each by response code.
    public func queryCounts() async -> [String: QueryCounts] {
        var udp = QueryCounts()
        for channel in channels.withLockedValue({ $0 }) {  // the TCP listener has no UDP handler: nil
            let counts = try? await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.handler(type: UDPQueryHandler.self).counts
            }.get()
            if let counts { udp = udp + counts }
        }
        return ["udp": udp, "tcp": tcpCounts.value]
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
    }

    private func udpBootstrap(_ loop: any EventLoop) -> DatagramBootstrap {
        let store = self.store
        return DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socket(SocketOptionLevel(SOL_SOCKET), SocketOptionName(SO_REUSEPORT)), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: Self.vectorReadCount)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.vectorReadCount * Self.datagramRoom))
            .channelOption(.maxMessagesPerRead, value: 4)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPQueryHandler(store: store))
                }
            }
    }

    private func tcpBootstrap() -> ServerBootstrap {
        let store = self.store
        let policy = TransferPolicy(allowed: settings.allowTransfer)
        let limiter = self.limiter
        let tcpCounts = self.tcpCounts
        let idle = TimeAmount(settings.tcpIdleTimeout)
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: idle))
                    try pipeline.addHandler(ByteToMessageHandler(DNSFrameDecoder()))
                    try pipeline.addHandler(TCPQueryHandler(store: store, policy: policy, limiter: limiter, counts: tcpCounts))
                }
            }
    }
}
