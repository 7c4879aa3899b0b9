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
    /// `[dns.rrl]`: response rate limiting over UDP. On by default.
    public var rrl = RRLSettings()

    static let defaultListen = ["127.0.0.1:53", "[::1]:53"].compactMap { SocketAddress($0) }
}

/// `[dns.rrl]`: response rate limiting (an authoritative server on the internet is an
/// amplification target; NSD and Knot ship the same).
public struct RRLSettings: Sendable, Equatable {
    /// `responses_per_second` per client prefix; 0 turns it off. Default 200 (NSD's default).
    public var responsesPerSecond = 200
    /// `slip`: every slip-th limited answer goes out truncated (TC=1); 0 drops them all. Default 2.
    public var slip = 2
    /// `ipv4_prefix`, `ipv6_prefix`: what counts as one client. Default 24 and 56.
    public var ipv4Prefix = 24
    public var ipv6Prefix = 56
    /// `exempt`: networks never limited (`allow_transfer` ones never are either). Default loopback.
    public var exempt: [IPNetwork] = RRLSettings.loopback

    public static let loopback = ["127.0.0.0/8", "::1/128"].compactMap { try? IPNetwork.parse($0).get() }

    /// The documented defaults, or other values (the DNS server's tests set their own).
    public init(responsesPerSecond: Int = 200, slip: Int = 2, ipv4Prefix: Int = 24, ipv6Prefix: Int = 56,
                exempt: [IPNetwork] = RRLSettings.loopback) {
        self.responsesPerSecond = responsesPerSecond
        self.slip = slip
        self.ipv4Prefix = ipv4Prefix
        self.ipv6Prefix = ipv6Prefix
        self.exempt = exempt
    }
}
