/// `[cluster]`: several Lifeboat instances agreeing through etcd (issue 14). Absent: standalone.
public struct ClusterSettings: Sendable, Equatable {
    /// `executor` may lead and run steps; `observer` probes, votes and serves DNS.
    public enum Role: String, Sendable, Equatable {
        case executor
        case observer
    }

    /// `name`: the key prefix `/lifeboat/<name>/`.
    public var name: String
    /// `site`: this instance, unique in the cluster.
    public var site: String
    /// `role`. Default `executor`.
    public var role: Role
    /// `etcd`: the members' client URLs.
    public var etcd: [String]
    /// `lease_ttl`: the site's lease (at least 5 s: an etcd election alone can take 2 s here). Default 10 s.
    public var leaseTTL: Duration
    /// `quorum`: "down" verdicts from distinct sites needed for an automatic failover. Default 2.
    public var quorum: Int
    /// `source_address`: probes leave from this address. Default: the kernel's choice.
    public var sourceAddress: IPAddress?
    /// `ca_file`, `cert_file`, `key_file`: etcd's TLS; `user` and `password_file`: its auth.
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var user: String?
    public var passwordFile: String?
}
