

/// `type = "mysql"`.
public struct MySQLCheckSettings: Sendable, Equatable {
    /// Where and as whom to connect.
    public var endpoint: MySQLEndpoint
    /// `query`: must return a row. Default `SELECT 1`.
    public var query: String
    /// `replication`: also require IO/SQL threads running and measure lag. Default false.
    public var replication: Bool
    /// `lag_query`: returns the age in seconds of the newest data (dump-refreshed standbys).
    public var lagQuery: String?
    /// A replication check of a standby whose service keeps the replica read-only
    /// (`readonly.replica_read_only`): a writable replica fails it (`standby_writable`). Not a key.
    public var expectReadOnly = false

    /// Creates the settings.
    public init(endpoint: MySQLEndpoint, query: String, replication: Bool, lagQuery: String?) {
        self.endpoint = endpoint
        self.query = query
        self.replication = replication
        self.lagQuery = lagQuery
    }
}
