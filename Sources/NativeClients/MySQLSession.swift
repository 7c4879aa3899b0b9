/// A way to open MySQL connections: on the non-blocking loop (`MariaDBLoop`), or blocking calls
/// on a thread pool (the previous way, kept as the benchmark's peer).
public protocol MySQLConnector: Sendable {
    /// Opens a connection, or throws a classified error (refused, timeout, auth, …).
    func connect(_ options: MySQLConnectOptions) async throws(NativeClientError) -> any MySQLSession
}

/// One open connection; used by one caller at a time.
public protocol MySQLSession: Sendable {
    /// Runs one statement and returns its rows (empty for statements without a result set).
    func query(_ sql: String) async throws(NativeClientError) -> QueryResult
}
