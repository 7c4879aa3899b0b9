import Foundation
import LifeboatCore
import LifeboatTestSupport

/// Three real `lifeboatd` of one cluster beside the lab, each on its own loopback address
/// (127.0.0.11-13: DNS, HTTP, and the address its probes and etcd calls leave from), each with
/// its own state directory, sharing the lab's three etcd members: `site-a` and `site-b` are
/// executors, `site-c` an observer. The cluster's name is new per test, so tests never meet
/// each other's keys.
final class LabCluster: @unchecked Sendable {
    let name = "lab-" + UUID().uuidString.prefix(8).lowercased()
    let sites: [(site: String, address: String, daemon: LabDaemon)]

    /// `dns` adds lines to a site's `[dns]` table (e.g. `notify` for a secondary).
    init(leaseTTL: String = "5s", quorum: Int = 2, dns: [String: String] = [:]) throws {
        let endpoints = Lab.value("LAB_ETCD_ENDPOINTS").split(separator: ",").map { "\"\($0)\"" }.joined(separator: ", ")
        var sites: [(String, String, LabDaemon)] = []
        for (index, site) in ["site-a", "site-b", "site-c"].enumerated() {
            let address = "127.0.0.\(11 + index)"
            var options = LabDaemon.Options()
            options.address = address
            if let lines = dns[site] {
                options.replacements.append(("allow_transfer = [\"127.0.0.1\"]", "allow_transfer = [\"127.0.0.1\"]\n" + lines))
            }
            options.extra = """
                [cluster]
                name = "\(name)"
                site = "\(site)"
                role = "\(site == "site-c" ? "observer" : "executor")"
                etcd = [\(endpoints)]
                lease_ttl = "\(leaseTTL)"
                quorum = \(quorum)
                source_address = "\(address)"
                """
            sites.append((site, address, try LabDaemon(options)))
        }
        self.sites = sites
    }

    var daemons: [LabDaemon] { sites.map(\.daemon) }

    func daemon(_ site: String) -> LabDaemon { sites.first { $0.site == site }!.daemon }

    /// Starts every site (site-a first, and waits until it leads, when `aFirst`) and waits
    /// until all see both lab sites up and exactly one leads.
    func start(aFirst: Bool = false, environmentOfA: [String] = []) async throws {
        try await sites[0].daemon.start(environment: environmentOfA)
        if aFirst {
            guard await eventually(within: .seconds(20), { self.cluster(of: self.sites[0].daemon)?.leading == true }) else {
                throw DaemonError(message: "site-a never led: \(sites[0].daemon.logText.suffix(3000))")
            }
        }
        for site in sites.dropFirst() { try await site.daemon.start() }
        for site in sites where !(await site.daemon.waitHealthy()) {
            throw DaemonError(message: "\(site.site) never saw both sites up: \(site.daemon.logText.suffix(3000))")
        }
        guard await eventually(within: .seconds(20), { self.leaders().count == 1 }) else {
            throw DaemonError(message: "no single leader: \(sites.map { "\($0.site): \(String(describing: cluster(of: $0.daemon)))" })")
        }
    }

    func stop() { for site in sites { site.daemon.stop() } }

    /// A site's view of the cluster (nil when it does not answer).
    func cluster(of daemon: LabDaemon) -> ClusterStatus? { (try? daemon.report())?.cluster }

    /// The sites that say they lead.
    func leaders() -> [String] { sites.filter { cluster(of: $0.daemon)?.leading == true }.map(\.site) }

    /// The history summaries of a site's service, oldest first.
    static func summaries(_ daemon: LabDaemon) throws -> [String] { try daemon.history().reversed().map(\.summary) }
}

/// An nftables table of a test's own: rules in it, removed (with the table) by `remove`.
struct NFTablesTable {
    let name = "lifeboat_test_" + UUID().uuidString.prefix(8).lowercased()

    /// Drops TCP from `source` to `destination` on `ports` (output hook: loopback traffic passes it).
    func drop(from source: String, to destination: String, ports: [String]) throws {
        let rules = """
            table inet \(name) {
                chain output {
                    type filter hook output priority 0; policy accept;
                    ip saddr \(source) ip daddr \(destination) tcp dport { \(ports.joined(separator: ", ")) } drop
                }
            }
            """
        let file = NSTemporaryDirectory() + name + ".nft"
        try rules.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = Lab.run("/usr/sbin/nft", ["-f", file])
        guard result.status == 0 else { throw DaemonError(message: "nft -f: \(result.output)") }
    }

    func remove() { _ = Lab.run("/usr/sbin/nft", ["delete", "table", "inet", name]) }
}
