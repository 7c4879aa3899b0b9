import Controller
import Coordination
import DNSAuthority
import DomainNames
import LifeboatCore

/// The zone publisher of a site in a cluster: the leader first adopts what the cluster last
/// published (so its serial continues the cluster's), publishes the new state fenced by its
/// token, and only then serves it itself; the other sites adopt it from etcd (`ZoneFollower`).
/// A site that does not lead writes nothing: the fenced write is refused.
struct ClusterZonePublisher: ZonePublisher {
    let authority: ZoneAuthority
    let board: ZoneStateBoard
    let session: LeaderSession

    func point(_ owners: [DNSName], at addresses: [[UInt8]], ttl: UInt32) async throws -> [DNSName: UInt32] {
        try await adoptPublished(await authority.zoneNames(holding: owners))
        let proposals = try await authority.proposal(pointing: owners, at: addresses, ttl: ttl)
        for (zone, state) in proposals {
            guard try await board.publish(state, zone: zone.description, as: session) else {
                throw ClusterZoneRefused(message: "the cluster refused the zone state of \(zone) (serial \(state.serial)): this site no longer leads")
            }
        }
        var serials: [DNSName: UInt32] = [:]
        for (zone, state) in proposals {
            try await authority.adopt(state, for: zone)
            serials[zone] = state.serial
        }
        return serials
    }

    func servedTTL(of owner: DNSName) async -> UInt32? { await authority.servedTTL(of: owner) }

    func servedAddresses(of owner: DNSName) async -> [[UInt8]]? { await authority.servedAddresses(of: owner) }

    /// Adopts what the cluster last published for `zones`; a failed read leaves this site
    /// serving what it serves.
    func refresh(_ zones: [DNSName]) async {
        for zone in zones { try? await adoptPublished([zone]) }
    }

    /// Adopts what the cluster last published for `zones` (a linearizable read; a newer serial only).
    private func adoptPublished(_ zones: [DNSName]) async throws {
        for zone in zones {
            if let published = try await board.read(zone: zone.description) { try await authority.adopt(published, for: zone) }
        }
    }

    func serial(of zone: DNSName) async -> UInt32? { await authority.serial(of: zone) }
}

/// The leader's fenced write of a zone state was refused: leadership is gone.
struct ClusterZoneRefused: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
