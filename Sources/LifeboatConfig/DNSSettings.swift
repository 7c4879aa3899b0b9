import DomainNames

/// `[dns]`: the authoritative server.
public struct DNSSettings: Sendable, Equatable {
    /// `listen`: UDP and TCP addresses. Default `["127.0.0.1:53", "[::1]:53"]`.
    public var listen: [SocketAddress]
    /// `zones_dir`: one `<zone>zone` master file per zone. Default `/etc/lifeboat/zones`.
    public var zonesDirectory: String
    /// `notify`: secondaries sent NOTIFY on every change (port defaults to 53). Default `[]`.
    public var notify: [SocketAddress]
    /// `allow_transfer`: addresses or networks allowed to AXFR. Default `[]` (nobody).
    public var allowTransfer: [IPNetwork]
    /// `tcp_idle_timeout`: an idle TCP connection is closed after this. Default 10 s.
    public var tcpIdleTimeout: Duration
    /// `tcp_max_connections`: TCP connections served at once. Default 100.
    public var tcpMaxConnections: Int

    static let defaultListen = ["127.0.0.1:53", "[::1]:53"].compactMap { SocketAddress($0) }
}
