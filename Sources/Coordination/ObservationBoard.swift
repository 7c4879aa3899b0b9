import Foundation
public import LifeboatCore

/// The sites' verdicts on one service's primary, in etcd: each site writes its own under
/// `/lifeboat/<cluster>/observations/<service>/<site>` on its session lease (so a site that dies
/// takes its verdict with it), and anyone reads them all to decide the quorum.
public struct ObservationBoard: Sendable {
    private let client: EtcdClient
    private let prefix: String

    public init(client: EtcdClient, cluster: String, service: String) {
        self.client = client
        prefix = "/lifeboat/\(cluster)/observations/\(service)/"
    }

    /// Publishes this site's verdict on `lease`.
    public func publish(_ observation: SiteObservation, lease: Int64) async throws(CoordinationError) {
        let data: Data
        do { data = try Self.encoder.encode(observation) } catch {
            throw CoordinationError(.protocolError, "cannot encode the observation: \(error)")
        }
        try await client.put(prefix + observation.site, String(decoding: data, as: UTF8.self), lease: lease)
    }

    /// Every site's latest verdict; one that cannot be read is left out (and so counts as stale).
    public func all() async throws(CoordinationError) -> [SiteObservation] {
        try await client.list(prefix: prefix).compactMap { entry in
            try? Self.decoder.decode(SiteObservation.self, from: Data(entry.value.value.utf8))
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}
