import DomainNames
import Controller
import DNSAuthority

/// The zone publisher of a lone Lifeboat: its own zone authority.
struct LocalZonePublisher: ZonePublisher {
    let authority: ZoneAuthority

    func point(_ owners: [DNSName], at addresses: [[UInt8]], ttl: UInt32) async throws -> [DNSName: UInt32] {
        try await authority.replaceAddresses(of: owners, with: addresses, ttl: ttl)
    }

    func servedTTL(of owner: DNSName) async -> UInt32? { await authority.servedTTL(of: owner) }

    func servedAddresses(of owner: DNSName) async -> [[UInt8]]? { await authority.servedAddresses(of: owner) }

    func serial(of zone: DNSName) async -> UInt32? { await authority.serial(of: zone) }
}
