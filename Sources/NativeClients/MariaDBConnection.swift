import CMariaDB

#if canImport(Glibc)
import Glibc
#endif

/// `mysql_library_init` (alias `mysql_server_init`) runs once, before the first handle.
let mariaDBLibraryInit: Int32 = mysql_server_init(0, nil, nil)

/// One open connection to a MySQL/MariaDB server (MariaDB Connector/C), closed in `deinit`.
/// Calls block: run them off event loops (the standby's SQL steps do, on their thread pool).
///
/// `@unchecked Sendable`: a MYSQL handle may move between threads but must be used by one at a
/// time; the owner serialises its use.
public final class MariaDBConnection: @unchecked Sendable {
    private let handle: MariaDBHandle

    /// Connects, or throws a classified error (refused, timeout, auth, …).
    public init(_ options: MySQLConnectOptions) throws(NativeClientError) {
        handle = try MariaDBHandle(options, nonBlocking: false)
        let started = ContinuousClock.now
        let connected = mysql_real_connect(
            handle.mysql, options.host, options.user, options.password, options.database,
            UInt32(options.port), options.socket, 0)
        if connected == nil {
            throw MariaDBHandle.error(handle.mysql, elapsed: ContinuousClock.now - started, limit: options.connectTimeout)
        }
    }

    /// Runs one statement and returns its rows (empty for statements without a result set).
    public func query(_ sql: String) throws(NativeClientError) -> QueryResult {
        let started = ContinuousClock.now
        let status = sql.withCString { mysql_real_query(handle.mysql, $0, UInt(strlen($0))) }
        guard status == 0 else { throw MariaDBHandle.error(handle.mysql, elapsed: ContinuousClock.now - started, limit: nil) }
        guard let result = mysql_store_result(handle.mysql) else {
            return try handle.emptyOrError(elapsed: ContinuousClock.now - started).get()
        }
        return MariaDBHandle.rows(of: result)
    }

    /// Runs one statement that returns no rows (DELETE, INSERT, …) and returns how many rows it changed.
    public func execute(_ sql: String) throws(NativeClientError) -> Int {
        _ = try query(sql)
        let rows = mysql_affected_rows(handle.mysql)
        return rows == UInt64.max ? 0 : Int(rows)
    }

    /// Whether the server still answers on this connection.
    public func ping() -> Bool {
        mysql_ping(handle.mysql) == 0
    }
}
