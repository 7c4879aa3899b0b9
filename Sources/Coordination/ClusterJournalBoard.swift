import Foundation
public import LifeboatCore

/// A service's journal as the cluster keeps it: one key per record under
/// `/lifeboat/<cluster>/journal/<service>/<index, 10 digits>`, written only by the leader, in
/// transactions fenced by its token, read by every site (the followers' status, a new leader's
/// resume at the first unfinished step).
public struct ClusterJournalBoard: Sendable {
    private let client: EtcdClient
    private let prefix: String

    public init(client: EtcdClient, cluster: String, service: String) {
        self.client = client
        prefix = "/lifeboat/\(cluster)/journal/\(service)/"
    }

    /// Records in order with the revision they were read at; with `after`, only the ones
    /// written since (their index says where they go).
    public func read(after revision: Int64? = nil) async throws(CoordinationError) -> (records: [(index: Int, record: JournalRecord)], revision: Int64) {
        let entries = try await client.list(prefix: prefix, changedSince: revision)
        var records: [(Int, JournalRecord)] = []
        var newest = revision ?? 0
        for entry in entries {
            guard let index = Int(entry.key.dropFirst(prefix.count)) else { continue }
            do { records.append((index, try JournalCoding.record(Data(entry.value.value.utf8)))) } catch {
                throw CoordinationError(.protocolError, "unreadable journal record at \(entry.key): \(error)")
            }
            newest = max(newest, entry.value.modRevision)
        }
        return (records.sorted { $0.0 < $1.0 }, newest)
    }

    /// Writes `records` at `firstIndex`, `firstIndex + 1`, … as `leader`, in one transaction;
    /// false when leadership is gone (nothing written).
    public func append(_ records: [JournalRecord], at firstIndex: Int, as leader: LeaderSession) async throws(CoordinationError) -> Bool {
        var puts: [(key: String, value: String)] = []
        for (offset, record) in records.enumerated() {
            do { puts.append((Self.key(prefix, firstIndex + offset), try JournalCoding.line(record))) } catch {
                throw CoordinationError(.protocolError, "cannot encode a journal record: \(error)")
            }
        }
        return try await leader.fencedPut(puts)
    }

    private static func key(_ prefix: String, _ index: Int) -> String {
        let digits = String(index)
        return prefix + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }
}
