/// One health check (`{ type = "http" | "mysql" | "tcp", ... }`).
public struct CheckSettings: Sendable, Equatable {
    /// `name`: how status and metrics call it. Default `<type>:<target>`.
    public var name: String
    /// `timeout` of one run. Default 5 s.
    public var timeout: Duration
    /// The type-specific settings.
    public var kind: CheckKind

    /// Creates a check (the loader does; tools and tests may too).
    public init(name: String, timeout: Duration, kind: CheckKind) {
        self.name = name
        self.timeout = timeout
        self.kind = kind
    }
}

/// What a check talks to.
public enum CheckKind: Sendable, Equatable {
    case http(HTTPCheckSettings)
    case mysql(MySQLCheckSettings)
    case tcp(TCPCheckSettings)
}

/// `type = "http"`.
public struct HTTPCheckSettings: Sendable, Equatable {
    /// `url`: `http://` or `https://`; its host gives Host and SNI. Required.
    public var url: String
    /// `connect_to`: the address really connected to, never resolved through DNS.
    /// Required unless the URL's host is an IP address; the port defaults to the URL's.
    public var connectTo: SocketAddress
    /// `expect_status`: accepted codes. Default `[]`, meaning 200–399 (redirects not followed).
    public var expectStatus: [Int]
    /// `expect_body`: a substring the first 64 KiB must contain. Default none.
    public var expectBody: String?
    /// `expect_body_regex`: a regular expression the first 64 KiB must match. Default none.
    public var expectBodyRegex: String?
    /// `ca_file`: CA bundle for TLS verification. Default: the system's.
    public var caFile: String?
    /// `insecure`: skip TLS verification. Default false.
    public var insecure: Bool

    /// Creates the settings.
    public init(url: String, connectTo: SocketAddress, expectStatus: [Int], expectBody: String?, expectBodyRegex: String?,
                caFile: String?, insecure: Bool) {
        self.url = url
        self.connectTo = connectTo
        self.expectStatus = expectStatus
        self.expectBody = expectBody
        self.expectBodyRegex = expectBodyRegex
        self.caFile = caFile
        self.insecure = insecure
    }
}

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

/// `type = "tcp"`.
public struct TCPCheckSettings: Sendable, Equatable {
    /// `connect_to`: address and port. Required.
    public var connectTo: SocketAddress

    /// Creates the settings.
    public init(connectTo: SocketAddress) {
        self.connectTo = connectTo
    }
}

/// A MySQL/MariaDB server and the account used on it.
public struct MySQLEndpoint: Sendable, Equatable {
    /// `host`: an IP address. Default `127.0.0.1` unless `socket` is given.
    public var host: String?
    /// `port`. Default 3306.
    public var port: Int
    /// `socket`: a Unix socket path, instead of host/port.
    public var socket: String?
    /// `user`. Required.
    public var user: String
    /// `password_file`: the password, read at use, never logged. Required.
    public var passwordFile: String
    /// `database`. Default none.
    public var database: String?

    /// Creates an endpoint.
    public init(host: String?, port: Int, socket: String?, user: String, passwordFile: String, database: String?) {
        self.host = host
        self.port = port
        self.socket = socket
        self.user = user
        self.passwordFile = passwordFile
        self.database = database
    }
}
