public import DomainNames

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
    /// `fast_interval`: between runs of a check whose state is changing (after its first failure,
    /// or its first success while down), until `fall` or `rise` results settle it. Default
    /// 200 ms (or `interval`, when that is shorter); never above `interval`.
    public var fastInterval: Duration
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
    /// `time_zone`: the IANA time zone of the service's wall-clock settings (the refresh
    /// schedule's daily times). Default: the system's (`TZ`, else /etc/localtime).
    public var timeZone: String? = nil
    /// `[service.refresh]`: the standby is refreshed from dumps by Lifeboat. Default none.
    public var refresh: RefreshSettings? = nil
    /// `switchover_ttl`: the owners' TTL while a planned switchover moves them (and while the
    /// standby serves after one), seconds. Default 5.
    public var switchoverTTL: Int = 5
    /// `resolvers` or `[[service.resolvers]]`: recursive resolvers the propagation watch asks for
    /// the owners after every DNS switch. Default none.
    public var resolvers: [ResolverSettings] = []
    /// `drill_hold`: how long a drill's standby serves before the drill fails back. Default 1 min.
    public var drillHold: Duration = .seconds(60)
    /// `drain_waits_for_propagation`: failback's drain also waits until every watched resolver and
    /// secondary answers the primary (at most `propagation_timeout`). Default true (with nothing
    /// watched it changes nothing).
    public var drainWaitsForPropagation = true
    /// `propagation_timeout`: how long the watch asks before it records "still old". Default 10 min.
    public var propagationTimeout: Duration = .seconds(600)
}

/// A recursive resolver the site's visitors use (an ISP's, a company's), watched after each switch.
public struct ResolverSettings: Sendable, Equatable {
    /// `name`: how it is shown. Default its address.
    public var name: String
    /// `address`: `addr[:port]`, port 53 by default.
    public var address: SocketAddress

    /// Creates a resolver entry.
    public init(name: String, address: SocketAddress) {
        self.name = name
        self.address = address
    }
}

extension ServiceSettings {
    /// The standby's MySQL check's `lag_query`, the data age query of a dump-refreshed standby.
    public var standbyLagQuery: String? {
        standby.checks.lazy.compactMap { check -> String? in
            if case .mysql(let mysql) = check.kind { mysql.lagQuery } else { nil }
        }.first
    }
}
