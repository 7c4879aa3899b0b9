public import LifeboatConfig
public import DNSQuery

/// What the DNS server binds and allows.
public struct DNSServerSettings: Sendable {
    /// UDP and TCP listen addresses; port 0 picks a free port (the same for UDP and TCP).
    public var listen: [LifeboatConfig.SocketAddress]
    /// Who may AXFR/IXFR (and with which key).
    public var allowTransfer: [TransferPermission]
    /// The TSIG keys signed requests are checked against.
    public var keys: [TSIGKey] = []
    /// A TCP message must be whole this long after its first byte; an idle connection is closed after this.
    public var tcpIdleTimeout: Duration
    /// At most this many TCP connections at once; at the limit the one idle longest is closed.
    public var tcpMaxConnections: Int
    /// At most this many TCP connections from one client (an IPv4 address, an IPv6 /64).
    public var tcpMaxPerClient: Int = 10
    /// Response rate limiting over UDP (off unless set: the daemon sets `[dns.rrl]`).
    public var rateLimit = RRLSettings(responsesPerSecond: 0)
    /// UDP worker threads; nil: one per CPU this process may use.
    public var udpWorkers: Int?

    /// Creates settings with the defaults for the TCP limits (10 s idle, 100 connections).
    public init(listen: [LifeboatConfig.SocketAddress], allowTransfer: [TransferPermission],
                tcpIdleTimeout: Duration = .seconds(10), tcpMaxConnections: Int = 100) {
        self.listen = listen
        self.allowTransfer = allowTransfer
        self.tcpIdleTimeout = tcpIdleTimeout
        self.tcpMaxConnections = tcpMaxConnections
    }
}
