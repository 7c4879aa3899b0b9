import Synchronization

/// Something the DNS server did besides answering, counted for `/metrics`: a metric family
/// (`lifeboat_dns_<family>_total`), its label's name and the label's value.
public struct DNSEvent: Hashable, Sendable {
    public var family: String
    public var label: String
    public var value: String

    public init(_ family: String, _ label: String, _ value: String) {
        self.family = family
        self.label = label
        self.value = value
    }

    /// A TCP connection the server closed: `timeout` (a message not whole in time, or idle),
    /// `evicted` (the longest idle, to admit a new one at the limit), `per_client` (refused:
    /// that client already had `tcp_max_per_client`), `malformed` (a message shorter than a header).
    public static func tcpClosed(_ reason: String) -> DNSEvent { DNSEvent("tcp_closed", "reason", reason) }
    /// A request refused for its TSIG: `BADKEY`, `BADSIG`, `BADTIME`, or `unsigned` (a transfer
    /// from where `allow_transfer` requires a key).
    public static func tsigRefused(_ error: UInt16?) -> DNSEvent {
        let names: [UInt16: String] = [TSIG.badSig: "BADSIG", TSIG.badKey: "BADKEY", TSIG.badTime: "BADTIME"]
        return DNSEvent("tsig_refused", "error", error.map { names[$0] ?? "\($0)" } ?? "unsigned")
    }
    /// A zone transfer served, by what it sent.
    public static func transfer(_ kind: TransferKind) -> DNSEvent { DNSEvent("transfers", "kind", kind.rawValue) }
}

/// Counts events from any thread (they are not on the UDP hot path).
public final class DNSEventCounter: Sendable {
    private let counts = Mutex<[DNSEvent: UInt64]>([:])

    public init() {}

    public func record(_ event: DNSEvent) {
        counts.withLock { $0[event, default: 0] &+= 1 }
    }

    /// Every count so far.
    public var value: [DNSEvent: UInt64] { counts.withLock { $0 } }
}
