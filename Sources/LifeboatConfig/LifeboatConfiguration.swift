public import DomainNames
/// The whole configuration of one Lifeboat instance (`/etc/lifeboat/lifeboat.toml`).
public struct LifeboatConfiguration: Sendable, Equatable {
    /// `state_dir`: journal, persisted serials. Default `/var/lib/lifeboat`.
    public var stateDirectory: String
    /// `[dns]`.
    public var dns: DNSSettings
    /// `[http]`.
    public var http: HTTPSettings
    /// `[witness] checks`: if these fail together with the primary, Lifeboat is the one cut off.
    public var witnessChecks: [CheckSettings]
    /// `[[service]]`.
    public var services: [ServiceSettings]
    /// `[[notify]]`: webhooks for state changes and failed steps. Default none.
    public var webhooks: [WebhookSettings] = []
}

/// `[dns]`: the authoritative server.
public struct DNSSettings: Sendable, Equatable {
    /// `listen`: UDP and TCP addresses. Default `["127.0.0.1:53", "[::1]:53"]`.
    public var listen: [SocketAddress]
    /// `zones_dir`: one `<zone>zone` master file per zone. Default `/etc/lifeboat/zones`.
    public var zonesDirectory: String
    /// `notify`: secondaries sent NOTIFY on every change (port defaults to 53). Default `[]`.
    public var notify: [SocketAddress]
    /// `allow_transfer`: addresses or networks allowed to AXFR. Default `[]` (nobody).
    public var allowTransfer: [IPNetwork]
    /// `tcp_idle_timeout`: an idle TCP connection is closed after this. Default 10 s.
    public var tcpIdleTimeout: Duration
    /// `tcp_max_connections`: TCP connections served at once. Default 100.
    public var tcpMaxConnections: Int

    static let defaultListen = ["127.0.0.1:53", "[::1]:53"].compactMap { SocketAddress($0) }
}

/// `[http]`: status page, JSON API and metrics.
public struct HTTPSettings: Sendable, Equatable {
    /// `listen`. Default `127.0.0.1:8053`.
    public var listen: SocketAddress
    /// `token_file`: the bearer token the control endpoints require. Default `/etc/lifeboat/token`.
    public var tokenFile: String
}

/// `failback`: who decides that the primary takes over again.
public enum FailbackMode: String, Sendable, Equatable {
    /// Wait for `lifeboat failback` (the default).
    case manual
    /// Fail back by itself once the primary has been up for `holddown`.
    case auto
}

/// `[[service]]`: one thing that fails over, with its DNS owners and two sites.
public struct ServiceSettings: Sendable, Equatable {
    /// `name`: `[a-z0-9-]`, unique; used in the API's URLs. Required.
    public var name: String
    /// `zone`: the served zone that holds the owners. Required.
    public var zone: DNSName
    /// `owners`: names whose A/AAAA records follow the active site. Required, inside `zone`.
    public var owners: [DNSName]
    /// `ttl` of the owners' records, seconds. Default 30.
    public var ttl: Int
    /// `failback`. Default `manual`.
    public var failback: FailbackMode
    /// `fall`: consecutive failures before a check is down. Default 3.
    public var fall: Int
    /// `rise`: consecutive successes before a check is up. Default 3.
    public var rise: Int
    /// `interval` between check runs. Default 2 s.
    public var interval: Duration
    /// `holddown`: how long the primary must be up before failback. Default 5 min.
    public var holddown: Duration
    /// `min_failover_interval`: at most one automatic failover per this. Default 10 min.
    public var minFailoverInterval: Duration
    /// `max_lag`: the oldest standby data a failover accepts. Default 5 min.
    public var maxLag: Duration
    /// `drain_grace`: added to the TTL before read-only is lifted on failback. Default 5 s.
    public var drainGrace: Duration
    /// `step_retries`: tries of a failing step before the sequence stops in error. Default 3.
    public var stepRetries: Int
    /// `[service.primary]`.
    public var primary: SiteSettings
    /// `[service.standby]`.
    public var standby: SiteSettings
    /// `[service.readonly]`.
    public var readOnly: ReadOnlySettings
}

/// `[service.primary]` / `[service.standby]`: where a site is and how to tell it works.
public struct SiteSettings: Sendable, Equatable {
    /// `addresses`: the A/AAAA values served while this site is active. Required.
    public var addresses: [IPAddress]
    /// `checks`: all must be up for the site to be up. Required, at least one.
    public var checks: [CheckSettings]
}
