import Foundation
public import LifeboatCore

/// Operator commands sent to a site that does not lead, carried to the leader through etcd:
/// the site writes `/lifeboat/<cluster>/commands/<service>/<id>` on its lease, the leader takes
/// it (deleting it first: a command runs at most once, even if the leader dies meanwhile),
/// carries it out — journaled in etcd with who and why, as every command — and answers under
/// `replies/<id>`, which the sending site reads and deletes.
public struct CommandBoard: Sendable {
    /// A command waiting for the leader.
    public struct Pending: Sendable {
        public let id: String
        public let command: OperatorCommand
    }

    struct Answer: Codable {
        var reply: CommandReply
        var phase: FailoverPhase
    }

    private let client: EtcdClient
    private let commands: String
    private let replies: String

    public init(client: EtcdClient, cluster: String, service: String) {
        self.client = client
        commands = "/lifeboat/\(cluster)/commands/\(service)/"
        replies = "/lifeboat/\(cluster)/replies/\(service)/"
    }

    /// Sends `command` and waits up to `limit` for the leader's answer (nil: none came).
    public func send(_ command: OperatorCommand, lease: Int64, limit: Duration) async throws(CoordinationError) -> (CommandReply, FailoverPhase)? {
        let id = UUID().uuidString.lowercased()
        try await client.put(commands + id, try Self.encode(command), lease: lease)
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            guard let stored = try await client.get(replies + id) else { continue }
            try await client.delete(replies + id)
            do {
                let answer = try JSONDecoder().decode(Answer.self, from: Data(stored.value.utf8))
                return (answer.reply, answer.phase)
            } catch {
                throw CoordinationError(.protocolError, "unreadable reply at \(replies + id): \(error)")
            }
        }
        // Not taken in time: take it back unless the leader already has (then it may still run).
        _ = try? await client.delete(commands + id)
        return nil
    }

    /// As leader: every waiting command, each taken (deleted) by this call; one another call
    /// took first is left out.
    public func take() async throws(CoordinationError) -> [Pending] {
        var taken: [Pending] = []
        for entry in try await client.list(prefix: commands) {
            guard try await client.delete(entry.key),
                  let command = try? JSONDecoder().decode(OperatorCommand.self, from: Data(entry.value.value.utf8)) else { continue }
            taken.append(Pending(id: String(entry.key.dropFirst(commands.count)), command: command))
        }
        return taken
    }

    /// As leader: the answer to command `id`, fenced by the leader's token.
    public func answer(_ id: String, reply: CommandReply, phase: FailoverPhase, as leader: LeaderSession) async throws(CoordinationError) {
        let text = try Self.encode(Answer(reply: reply, phase: phase))
        _ = try await leader.fencedPut(replies + id, text)
    }

    private static func encode(_ value: some Encodable) throws(CoordinationError) -> String {
        do { return String(decoding: try JSONEncoder().encode(value), as: UTF8.self) } catch {
            throw CoordinationError(.protocolError, "cannot encode: \(error)")
        }
    }
}
