import DomainNames

/// `[dns]`: the authoritative server.
public struct DNSSettings: Sendable, Equatable {
    /// `listen`: UDP and TCP addresses. Default `["127.0.0.1:53", "[::1]:53"]`.
    public var listen: [SocketAddress]
    /// `zones_dir`: one `<zone>zone` master file per zone. Default `/etc/lifeboat/zones`.
    public var zonesDirectory: String
    /// `notify`: secondaries sent NOTIFY on every change (port defaults to 53), each a string
    /// or `{ to = "…", key = "…" }` to sign it. Default `[]`.
    public var notify: [NotifyTarget]
    /// `allow_transfer`: addresses or networks allowed to AXFR/IXFR, each a string or
    /// `{ from = "…", key = "…" }` to require a TSIG key. Default `[]` (nobody).
    public var allowTransfer: [TransferPermission]
    /// `[[dns.tsig]]`: TSIG keys. Default none.
    public var tsig: [TSIGKeySettings] = []
    /// `tcp_idle_timeout`: a TCP message must be whole this long after its first byte, and a
    /// connection idle this long is closed. Default 10 s.
    public var tcpIdleTimeout: Duration
    /// `tcp_max_connections`: TCP connections served at once; at the limit the one idle longest
    /// is closed to admit a new one. Default 100.
    public var tcpMaxConnections: Int
    /// `tcp_max_per_client`: TCP connections from one client (IPv4 address, IPv6 /64). Default 10.
    public var tcpMaxPerClient: Int = 10
    /// `ixfr_journal_size`: changes kept per zone for IXFR (0: every IXFR gets the whole zone). Default 100.
    public var ixfrJournalSize: Int = 100

    static let defaultListen = ["127.0.0.1:53", "[::1]:53"].compactMap { SocketAddress($0) }
}
