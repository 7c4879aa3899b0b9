public import NativeClients
public import NIOPosix

/// Blocking Connector/C calls on a thread pool: how MySQL checks ran before `MariaDBLoop`, kept
/// as `bench/probes.sh`'s peer. A blackholed server holds a pool thread for its whole timeout.
public struct PooledMySQLConnector: MySQLConnector {
    private let pool: NIOThreadPool

    /// Runs the calls on `pool` (owned and shut down by the caller).
    public init(pool: NIOThreadPool) {
        self.pool = pool
    }

    public func connect(_ options: MySQLConnectOptions) async throws(NativeClientError) -> any MySQLSession {
        let opened = await Self.onPool(pool) { () throws(NativeClientError) in try MariaDBConnection(options) }
        return PooledSession(connection: try opened.get(), pool: pool)
    }

    private struct PooledSession: MySQLSession {
        let connection: MariaDBConnection
        let pool: NIOThreadPool

        func run(_ statements: [String]) async throws(NativeClientError) -> [QueryResult] {
            var results: [QueryResult] = []
            for sql in statements {  // one pool job per statement, as the probe did before
                results.append(try await PooledMySQLConnector.onPool(pool) { () throws(NativeClientError) in try connection.query(sql) }.get())
            }
            return results
        }
    }

    /// Runs `work` on the pool; a pool that is shut down is our own failure, not the database's.
    static func onPool<T: Sendable>(_ pool: NIOThreadPool, _ work: @escaping @Sendable () throws(NativeClientError) -> T) async
        -> Result<T, NativeClientError>
    {
        do {
            return try await pool.runIfActive { Result { () throws(NativeClientError) in try work() } }
        } catch {
            return .failure(NativeClientError(kind: .local, library: "mariadb", code: 0, message: "the check could not run here: \(error)"))
        }
    }
}
