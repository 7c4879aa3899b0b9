import DomainNames

/// `[http]`: status page, JSON API and metrics.
public struct HTTPSettings: Sendable, Equatable {
    /// `listen`. Default `127.0.0.1:8053`.
    public var listen: SocketAddress
    /// `token_file`: the bearer token the control endpoints require. Default `/etc/lifeboat/token`.
    public var tokenFile: String
}
