public import LifeboatConfig
import LifeboatCore
public import NativeClients
import SystemIO
import NIOConcurrencyHelpers

/// A `mysql` check. It keeps one connection open across runs (no churn in the server's log) and
/// reconnects after an error. Its calls go through a `MySQLConnector`: the daemon's is the
/// non-blocking `MariaDBLoop`, so a check that waits on a dead server holds no thread.
public final class MySQLProbe: Probe {
    /// The name.
    public let name: String
    private let settings: MySQLCheckSettings
    private let timeout: Duration
    private let maxLag: Duration?
    private let connector: any MySQLConnector
    private let sourceAddress: String?
    /// The open connection and what it told about itself; runs never overlap, so a run takes it
    /// out and puts it back when it is still good.
    private let connection = NIOLockedValueBox<OpenConnection?>(nil)

    private struct OpenConnection: Sendable {
        let db: any MySQLSession
        /// MySQL ≥ 8.0.22 says SHOW REPLICA STATUS; MariaDB and older MySQL, SHOW SLAVE STATUS.
        let modernReplicaSyntax: Bool
    }

    /// Creates the probe; `maxLag` (the service's) applies to replication and `lag_query` checks.
    public init(name: String, settings: MySQLCheckSettings, timeout: Duration, maxLag: Duration?, connector: any MySQLConnector, sourceAddress: String? = nil) {
        self.sourceAddress = sourceAddress
        self.name = name
        self.settings = settings
        self.timeout = timeout
        self.maxLag = maxLag
        self.connector = connector
    }

    /// Runs it.
    public func run() async -> ProbeResult {
        let started = ContinuousClock.now
        let open = connection.withLockedValue { open in
            defer { open = nil }
            return open
        }
        do throws(NativeClientError) {
            let current: OpenConnection
            if let open {
                current = open
            } else {
                let password: String
                do throws(SystemError) { password = try SecretFile.read(settings.endpoint.passwordFile) } catch {
                    // Out of descriptors is our shortage, not a bad secret file.
                    return .failed(name, error.isLocalShortage ? .local : .secret, error.message, ContinuousClock.now - started)
                }
                let db = try await connector.connect(MySQLConnectOptions(
                    host: settings.endpoint.host, port: settings.endpoint.port, socket: settings.endpoint.socket,
                    user: settings.endpoint.user, password: password, database: settings.endpoint.database,
                    connectTimeout: timeout, readTimeout: timeout, writeTimeout: timeout,
                    bindAddress: settings.endpoint.socket == nil ? sourceAddress : nil))
                let version = settings.replication ? try await db.query("SELECT VERSION() AS v").value("v") ?? "" : ""
                current = OpenConnection(db: db, modernReplicaSyntax: ReplicaStatus.usesReplicaSyntax(version: version))
            }
            var result = try await check(current)
            connection.withLockedValue { $0 = current }
            result.duration = ContinuousClock.now - started
            return result
        } catch {
            // The connection is dropped: the next run reconnects.
            return .failed(name, FailureReason(error), error.message, ContinuousClock.now - started)
        }
    }

    /// The check's statements, all sent in one run (read-only SELECTs and SHOWs): the check's
    /// query, read_only, the replica status, the lag query; then judged in that order.
    private func check(_ current: OpenConnection) async throws(NativeClientError) -> ProbeResult {
        var statements = [settings.query, "SELECT @@read_only AS ro"]
        if settings.replication { statements.append(ReplicaStatus.statement(modernSyntax: current.modernReplicaSyntax)) }
        if let lagQuery = settings.lagQuery { statements.append(lagQuery) }
        let answers = try await current.db.run(statements)
        guard !answers[0].rows.isEmpty else {
            return .failed(name, .noRows, "\(settings.query) returned no row", .zero)
        }
        var result = ProbeResult.passed(name, .zero)
        result.readOnly = answers[1].value("ro") == "1"
        if settings.replication {
            let replica = ReplicaStatus.parse(answers[2], modern: current.modernReplicaSyntax)
            guard replica.ioRunning && replica.sqlRunning else {
                var failed = ProbeResult.failed(name, .replicationStopped, replica.stoppedMessage, .zero)
                failed.readOnly = result.readOnly
                return failed
            }
            result.lagSeconds = replica.lagSeconds
            if settings.expectReadOnly, result.readOnly == false {
                var failed = ProbeResult.failed(
                    name, .standbyWritable,
                    "the replica is writable (read_only = OFF): a write on it (Drupal caches on every GET) breaks replication; Lifeboat sets it back",
                    .zero)
                failed.readOnly = false
                failed.lagSeconds = replica.lagSeconds
                return failed
            }
        }
        if settings.lagQuery != nil {
            result.lagSeconds = answers.last?.rows.first?.first.flatMap { $0.flatMap { Double($0) }.map { Int($0) } }
        }
        return judgeLag(result)
    }

    private func judgeLag(_ result: ProbeResult) -> ProbeResult {
        guard settings.replication || settings.lagQuery != nil, let maxLag else { return result }
        var judged = result
        guard let lag = result.lagSeconds else {
            judged.success = false
            judged.reason = .lagUnknown
            judged.message = "the lag is unknown (NULL)"
            return judged
        }
        if Duration.seconds(lag) > maxLag {
            judged.success = false
            judged.reason = .lagExceeded
            judged.message = "lag \(lag)s exceeds max_lag \(maxLag.components.seconds)s"
        } else {
            judged.message = "lag \(lag)s"
        }
        return judged
    }
}

/// The replica's state from `SHOW REPLICA STATUS` (MySQL ≥ 8.0.22) or `SHOW SLAVE STATUS`.
public struct ReplicaStatus: Sendable {
    /// The IO thread runs.
    public var ioRunning: Bool
    /// The SQL thread runs.
    public var sqlRunning: Bool
    /// Replication or `lag_query` lag in seconds.
    public var lagSeconds: Int?
    var ioError: String
    var sqlError: String

    /// Why replication counts as stopped, with the threads' errors.
    public var stoppedMessage: String {
        let errors = [ioError, sqlError].filter { !$0.isEmpty }.joined(separator: "; ")
        return "replication stopped (IO \(ioRunning ? "Yes" : "No"), SQL \(sqlRunning ? "Yes" : "No"))" + (errors.isEmpty ? "" : ": \(errors)")
    }

    /// Whether a server of `version` says SHOW REPLICA STATUS (MySQL ≥ 8.0.22, not MariaDB).
    /// The statements that make a server read-only (or writable) for ordinary users: MariaDB's
    /// `read_only` (its `READ_ONLY ADMIN` holders still write); MySQL ≥ 5.7.8 has
    /// `super_read_only`, which binds SUPER users too and implies `read_only` (turning it off
    /// leaves `read_only` on, so both are turned off).
    public static func readOnlyStatements(version: String, on: Bool) -> [String] {
        guard !version.contains("MariaDB"), isAtLeast(version, major: 5, minor: 7, patch: 8) else {
            return ["SET GLOBAL read_only = \(on ? "ON" : "OFF")"]
        }
        return on ? ["SET GLOBAL super_read_only = ON"] : ["SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF"]
    }

    public static func usesReplicaSyntax(version: String) -> Bool {
        !version.contains("MariaDB") && isAtLeast(version, major: 8, minor: 0, patch: 22)
    }

    /// Reads the status on `db` with the syntax its server speaks.
    public static func read(_ db: MariaDBConnection, modernSyntax modern: Bool) throws(NativeClientError) -> ReplicaStatus {
        parse(try db.query(statement(modernSyntax: modern)), modern: modern)
    }

    /// The statement that shows the replica's status in the syntax its server speaks.
    static func statement(modernSyntax modern: Bool) -> String {
        modern ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS"
    }

    /// The status from the rows of `statement(modernSyntax:)`.
    static func parse(_ status: QueryResult, modern: Bool) -> ReplicaStatus {
        guard !status.rows.isEmpty else {
            return ReplicaStatus(ioRunning: false, sqlRunning: false, lagSeconds: nil, ioError: "not configured as a replica", sqlError: "")
        }
        let prefix = modern ? "Replica" : "Slave"
        return ReplicaStatus(
            ioRunning: status.value("\(prefix)_IO_Running") == "Yes",
            sqlRunning: status.value("\(prefix)_SQL_Running") == "Yes",
            lagSeconds: status.value(modern ? "Seconds_Behind_Source" : "Seconds_Behind_Master").flatMap { Int($0) },
            ioError: status.value("Last_IO_Error") ?? "", sqlError: status.value("Last_SQL_Error") ?? "")
    }

    static func isAtLeast(_ version: String, major: Int, minor: Int, patch: Int) -> Bool {
        let numbers = version.split(whereSeparator: { !$0.isNumber }).prefix(3).compactMap { Int($0) }
        guard numbers.count == 3 else { return false }
        return (numbers[0], numbers[1], numbers[2]) >= (major, minor, patch)
    }
}
