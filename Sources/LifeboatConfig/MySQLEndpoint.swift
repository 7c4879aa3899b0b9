

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
