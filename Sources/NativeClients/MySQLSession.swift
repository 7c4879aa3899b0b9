/// A way to open MySQL connections: on the non-blocking loop (`MariaDBLoop`), or blocking calls
/// on a thread pool (the previous way, kept as the benchmark's peer).
public protocol MySQLConnector: Sendable {
    /// Opens a connection, or throws a classified error (refused, timeout, auth, …).
    func connect(_ options: MySQLConnectOptions) async throws(NativeClientError) -> any MySQLSession
}

/// One open connection; used by one caller at a time.
public protocol MySQLSession: Sendable {
    /// Runs the statements one after the other and returns each one's rows (empty for statements
    /// without a result set); the first error ends the run. One round trip to the loop for all.
    func run(_ statements: [String]) async throws(NativeClientError) -> [QueryResult]
}

extension MySQLSession {
    /// Runs one statement and returns its rows.
    public func query(_ sql: String) async throws(NativeClientError) -> QueryResult {
        try await run([sql])[0]
    }
}
