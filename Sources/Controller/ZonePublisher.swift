public import DomainNames

/// What a service controller needs of the zone it steers: point owners at a site's addresses,
/// read back what is served, and the zone's serial. The daemon injects the local zone authority;
/// several Lifeboats agreeing through etcd will inject one backed by the cluster.
public protocol ZonePublisher: Sendable {
    /// Replaces the A and AAAA records of `owners` with `addresses` (4 or 16 bytes each), durably,
    /// and returns the new serial of each zone changed.
    func point(_ owners: [DNSName], at addresses: [[UInt8]], ttl: UInt32) async throws -> [DNSName: UInt32]
    /// The A and AAAA values `owner` is served with now, sorted; nil when no served zone holds it.
    func servedAddresses(of owner: DNSName) async -> [[UInt8]]?
    /// The TTL `owner`'s addresses are served with now; nil when no served zone holds it.
    func servedTTL(of owner: DNSName) async -> UInt32?
    /// The serial served for `zone`.
    func serial(of zone: DNSName) async -> UInt32?
    /// Brings what is served up to date with its source before it is read to restore a machine
    /// (a cluster's published state; nothing to do for a lone Lifeboat).
    func refresh(_ zones: [DNSName]) async
}

extension ZonePublisher {
    public func refresh(_ zones: [DNSName]) async {}
}
