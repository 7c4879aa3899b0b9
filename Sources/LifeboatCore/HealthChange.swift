

/// A change the board reports after a result.
public enum HealthChange<Key: Hashable & Sendable>: Equatable, Sendable {
    case check(name: Key, owner: CheckOwner, state: HealthState)
    case site(service: String, site: SiteRole, state: HealthState)
    /// Every witness check is down: Lifeboat is the one cut off (`true`), or no longer (`false`).
    case isolated(Bool)
}
