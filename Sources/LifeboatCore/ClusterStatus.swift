/// What a site of a Lifeboat cluster knows of the cluster (absent standalone).
public struct ClusterStatus: Sendable, Codable, Equatable {
    /// `cluster.name`, `cluster.site` and `cluster.role`.
    public var name: String
    public var site: String
    public var role: String
    /// The site that leads now (nil: none known).
    public var leader: String?
    /// Whether this site leads: the only one that runs steps and writes the cluster's state.
    public var leading: Bool
    /// No quorum of etcd members has answered for a while: this site serves the last state it
    /// read, runs no step and changes nothing.
    public var coordinationLost: Bool
    /// The last failure talking to etcd, in words.
    public var lastError: String?
    /// Per service: what the sites see ("2 of 3 sites see the primary down (quorum 2); …").
    public var sites: [String: String]

    public init(name: String, site: String, role: String, leader: String?, leading: Bool, coordinationLost: Bool,
                lastError: String?, sites: [String: String]) {
        self.name = name
        self.site = site
        self.role = role
        self.leader = leader
        self.leading = leading
        self.coordinationLost = coordinationLost
        self.lastError = lastError
        self.sites = sites
    }
}
