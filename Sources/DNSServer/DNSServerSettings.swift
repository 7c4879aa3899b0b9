public import LifeboatConfig

/// What the DNS server binds and allows.
public struct DNSServerSettings: Sendable {
    /// UDP and TCP listen addresses; port 0 picks a free port (the same for UDP and TCP).
    public var listen: [LifeboatConfig.SocketAddress]
    /// Who may AXFR/IXFR.
    public var allowTransfer: [IPNetwork]
    /// An idle TCP connection is closed after this.
    public var tcpIdleTimeout: Duration
    /// At most this many TCP connections at once; more are closed at once.
    public var tcpMaxConnections: Int
    /// UDP worker threads; nil: one per CPU this process may use.
    public var udpWorkers: Int?

    /// Creates settings with the defaults for the TCP limits (10 s idle, 100 connections).
    public init(listen: [LifeboatConfig.SocketAddress], allowTransfer: [IPNetwork],
                tcpIdleTimeout: Duration = .seconds(10), tcpMaxConnections: Int = 100) {
        self.listen = listen
        self.allowTransfer = allowTransfer
        self.tcpIdleTimeout = tcpIdleTimeout
        self.tcpMaxConnections = tcpMaxConnections
    }
}
