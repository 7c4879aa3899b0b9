/// Where and how to connect to a MySQL/MariaDB server.
public struct MySQLConnectOptions: Sendable {
    /// IP address or `localhost`; nil when `socket` is used.
    public var host: String?
    /// TCP port.
    public var port: Int
    /// Unix socket path, instead of host/port.
    public var socket: String?
    /// User name.
    public var user: String
    /// Password (read from a file by the caller; never logged).
    public var password: String
    /// Default database, if any.
    public var database: String?
    /// Limit for establishing the connection (whole seconds, at least 1, as the library takes it).
    public var connectTimeout: Duration
    /// Limit for each read.
    public var readTimeout: Duration
    /// Limit for each write.
    public var writeTimeout: Duration
    /// The local address the connection leaves from (`[cluster] source_address`); nil: the kernel's choice.
    public var bindAddress: String?

    /// Creates options; every timeout defaults to 5 s.
    public init(
        host: String? = "127.0.0.1", port: Int = 3306, socket: String? = nil, user: String, password: String,
        database: String? = nil, connectTimeout: Duration = .seconds(5), readTimeout: Duration = .seconds(5),
        writeTimeout: Duration = .seconds(5), bindAddress: String? = nil
    ) {
        self.bindAddress = bindAddress
        self.host = host
        self.port = port
        self.socket = socket
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
    }
}

/// The rows a statement returned, every value as text (NULL as nil).
public struct QueryResult: Sendable, Equatable {
    /// Column names.
    public var columns: [String]
    /// Rows, each as long as `columns`.
    public var rows: [[String?]]

    /// Creates a result.
    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The value of `column` in row `index`, nil when absent or NULL.
    public func value(_ column: String, row index: Int = 0) -> String? {
        guard let position = columns.firstIndex(of: column), rows.indices.contains(index) else { return nil }
        return rows[index][position]
    }
}
