import DomainNames

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
    /// `[cluster]`: nil when standalone.
    public var cluster: ClusterSettings? = nil
}
