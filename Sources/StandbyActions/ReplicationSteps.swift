import NativeClients
import Probes

/// Stopping, starting and checking the standby's replication from the primary.
struct ReplicationSteps: Sendable {
    let database: StandbyDatabase
    let maxLag: Duration
    /// How long `verify` waits for replication to run and catch up.
    let verifyTimeout: Duration

    func stop() async throws -> String {
        try await database.withConnection { db in
            let modern = try Self.modernSyntax(db)
            _ = try db.query(modern ? "STOP REPLICA" : "STOP SLAVE")
            let status = try ReplicaStatus.read(db, modernSyntax: modern)
            guard !status.ioRunning, !status.sqlRunning else {
                throw StandbyActionError(.verification, "replication still running after STOP")
            }
            return "replication stopped"
        }
    }

    /// `SET GLOBAL read_only`, then reads it back. Needs `READ_ONLY ADMIN` (MariaDB ≥ 10.5.2) or `SUPER`.
    func setReadOnly(_ on: Bool) async throws -> String {
        try await database.withConnection { db in
            let version = try db.query("SELECT VERSION()").rows.first?.first.flatMap { $0 } ?? ""
            for statement in ReplicaStatus.readOnlyStatements(version: version, on: on) { _ = try db.query(statement) }
            let now = try db.integer("SELECT @@GLOBAL.read_only")
            guard now == (on ? 1 : 0) else {
                throw StandbyActionError(.verification, "read_only is \(now) after SET GLOBAL read_only = \(on ? "ON" : "OFF")")
            }
            return on ? "standby database read_only = ON (replica: no local writes)" : "standby database read_only = OFF (writable while it serves)"
        }
    }

    func start() async throws -> String {
        try await database.withConnection { db in
            _ = try db.query(try Self.modernSyntax(db) ? "START REPLICA" : "START SLAVE")
            return "replication started"
        }
    }

    /// Waits until both replication threads run and the lag is within `max_lag`.
    func verify() async throws -> String {
        let deadline = ContinuousClock.now + verifyTimeout
        var last = "no status yet"
        while ContinuousClock.now < deadline {
            do {
                let status = try await database.withConnection { db in try ReplicaStatus.read(db, modernSyntax: try Self.modernSyntax(db)) }
                if status.ioRunning, status.sqlRunning, let lag = status.lagSeconds, Duration.seconds(lag) <= maxLag {
                    return "replicating, lag \(lag)s"
                }
                last = status.ioRunning && status.sqlRunning ? "lag \(status.lagSeconds.map { "\($0)s" } ?? "unknown")" : status.stoppedMessage
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .seconds(1))
        }
        throw StandbyActionError(.verification, "the standby does not replicate within \(verifyTimeout): \(last)")
    }

    private static func modernSyntax(_ db: MariaDBConnection) throws -> Bool {
        ReplicaStatus.usesReplicaSyntax(version: try db.query("SELECT VERSION()").rows.first?.first.flatMap { $0 } ?? "")
    }
}
