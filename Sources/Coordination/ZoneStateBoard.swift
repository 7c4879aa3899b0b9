import Foundation
public import LifeboatCore

/// The zones' served state in etcd, under `/lifeboat/<cluster>/zones/<zone>`: written only by
/// the leader, as a transaction fenced by its token (a leader that lost its key cannot write),
/// read by every site, which adopts a newer serial and never goes back.
public struct ZoneStateBoard: Sendable {
    private let client: EtcdClient
    private let prefix: String

    public init(client: EtcdClient, cluster: String) {
        self.client = client
        prefix = "/lifeboat/\(cluster)/zones/"
    }

    /// Publishes `state` for `zone` as `leader`; false when leadership is gone (nothing written).
    public func publish(_ state: PublishedZoneState, zone: String, as leader: LeaderSession) async throws(CoordinationError) -> Bool {
        let data: Data
        do { data = try Self.encoder.encode(state) } catch {
            throw CoordinationError(.protocolError, "cannot encode the zone state: \(error)")
        }
        return try await leader.fencedPut(prefix + zone, String(decoding: data, as: UTF8.self))
    }

    /// The published state of `zone`, if any (linearizable: what the leader last wrote).
    public func read(zone: String) async throws(CoordinationError) -> PublishedZoneState? {
        guard let stored = try await client.get(prefix + zone) else { return nil }
        do { return try JSONDecoder().decode(PublishedZoneState.self, from: Data(stored.value.utf8)) } catch {
            throw CoordinationError(.protocolError, "unreadable zone state at \(prefix + zone): \(error)")
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}
