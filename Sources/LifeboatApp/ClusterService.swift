import Controller
import Coordination
import DNSAuthority
import DomainNames
import Logging
import ServiceLifecycle

/// Cluster mode's loops until graceful shutdown: the conductor's rounds (lease, verdicts,
/// leadership, the journal) and the zone follower, which keeps this site serving the zone
/// state the leader published (every 250 ms; all sites switch within a poll of each other).
struct ClusterService: Service {
    let conductor: ClusterConductor
    let follower: ZoneFollower
    let host: ControllerHost

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await conductor.run(host: host) }
                group.addTask { await follower.run() }
            }
        }
    }

    /// The follower for every zone `authority` serves, adopting into it.
    static func follower(conductor: ClusterConductor, authority: ZoneAuthority, logger: Logger) async -> ZoneFollower {
        let board = ZoneStateBoard(client: conductor.client, cluster: conductor.settings.name)
        let zones = await authority.origins.map(\.description)
        return ZoneFollower(board: board, zones: zones, interval: .milliseconds(250), lostAfter: .seconds(5)) { zone, state in
            guard let name = DNSName(zone) else { return false }
            let changed = try await authority.adopt(state, for: name)
            if changed { logger.notice("cluster.zone.adopted", metadata: ["dns.zone": "\(zone)", "dns.serial": "\(state.serial)"]) }
            return changed
        }
    }
}
