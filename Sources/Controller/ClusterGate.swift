public import LifeboatCore

/// What a service controller asks of its cluster (absent standalone): may it act, does the
/// cluster agree, and the cluster's journal it writes as leader.
public protocol ClusterGate: Sendable {
    /// Why an automatic failover of `service` is held now (no quorum of sites, not the leader);
    /// nil when the cluster allows it.
    func failoverHold(service: String, primaryDetail: String) async -> String?
    /// Why this site may not start a step now (it does not lead, its lease is not fresh); nil when it may.
    func stepRefusal() async -> String?
    /// Appends `records` to the cluster's journal of `service` at `index`, fenced by the
    /// leader's token; false when that is refused or cannot be written (leadership gone).
    func share(_ records: [JournalRecord], service: String, at index: Int) async -> Bool
    /// This site and who leads, in words, for a follower's refusals.
    var leaderDescription: String { get }
}
