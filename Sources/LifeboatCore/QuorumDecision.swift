public import Foundation

/// Whether the sites together allow an automatic failover: `quorum` fresh "down" verdicts from
/// distinct sites and no fresh "up" from any (Route 53's and orchestrator's idea: one point of
/// view is not enough). Pure: observations and a clock in, a decision and its words out.
public struct QuorumDecision: Sendable, Equatable {
    /// Sites with a fresh verdict of each kind, sorted.
    public var down: [String]
    public var up: [String]
    public var abstaining: [String]
    /// Sites whose last verdict is older than the freshness limit (or that never gave one).
    public var stale: [String]
    public var quorum: Int
    /// Whether an automatic failover may go ahead.
    public var allowsFailover: Bool { down.count >= quorum && up.isEmpty }

    /// Decides from the latest observation of each site; `sites` names every site expected,
    /// so one that never published counts as stale.
    public init(observations: [SiteObservation], sites: [String], quorum: Int, freshness: TimeInterval, now: Date) {
        precondition(quorum >= 1, "a quorum of at least one site")
        var latest: [String: SiteObservation] = [:]
        for observation in observations where latest[observation.site].map({ $0.at < observation.at }) ?? true {
            latest[observation.site] = observation
        }
        var down: [String] = [], up: [String] = [], abstaining: [String] = [], stale: [String] = []
        for site in Set(sites).union(latest.keys).sorted() {
            // A verdict from the future (a clock ahead) counts as fresh only up to the limit.
            guard let observation = latest[site], abs(now.timeIntervalSince(observation.at)) <= freshness else {
                stale.append(site)
                continue
            }
            switch observation.verdict {
            case .down: down.append(site)
            case .up: up.append(site)
            case .abstain: abstaining.append(site)
            }
        }
        self.down = down
        self.up = up
        self.abstaining = abstaining
        self.stale = stale
        self.quorum = quorum
    }

    /// For the status page: "2 of 3 sites see the primary down (quorum 2); offsite-b sees it up".
    public var summary: String {
        let total = down.count + up.count + abstaining.count + stale.count
        var parts = ["\(down.count) of \(total) sites see the primary down (quorum \(quorum))"]
        if !up.isEmpty { parts.append("\(up.joined(separator: ", ")) \(up.count == 1 ? "sees" : "see") it up") }
        if !abstaining.isEmpty { parts.append("\(abstaining.joined(separator: ", ")) \(abstaining.count == 1 ? "abstains" : "abstain") (witnesses down)") }
        if !stale.isEmpty { parts.append("no fresh verdict from \(stale.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }
}
