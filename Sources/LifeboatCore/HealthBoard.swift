

/// The hysteresis of every check and what follows for sites and witnesses. Pure: results in,
/// changes out. A site is up when all its checks are up, down when any is down, else unknown.
/// Checks are told apart by `Key` (the controller's `CheckKey`).
public struct HealthBoard<Key: Hashable & Sendable>: Sendable {
    private var checks: [Key: (owner: CheckOwner, filter: Hysteresis)] = [:]
    private var siteStates: [CheckOwner: HealthState] = [:]
    public private(set) var isolated = false

    /// An empty board; add checks with `add`.
    public init() {}

    /// Registers a check by its unique name.
    public mutating func add(check name: Key, owner: CheckOwner, fall: Int, rise: Int) {
        checks[name] = (owner, Hysteresis(fall: fall, rise: rise))
        if case .site = owner { siteStates[owner] = .unknown }
    }

    /// The filtered state of a check.
    public func state(ofCheck name: Key) -> HealthState { checks[name]?.filter.state ?? .unknown }

    /// The filter of a check: state and consecutive counts.
    public func hysteresis(ofCheck name: Key) -> Hysteresis? { checks[name]?.filter }

    /// The state of a site.
    public func state(service: String, site: SiteRole) -> HealthState {
        siteStates[.site(service: service, site: site)] ?? .unknown
    }

    /// Records one run of check `name`; returns what changed because of it.
    public mutating func record(check name: Key, success: Bool) -> [HealthChange<Key>] {
        guard var entry = checks[name] else { return [] }
        guard let newState = entry.filter.record(success: success) else {
            checks[name] = entry
            return []
        }
        checks[name] = entry
        var changes: [HealthChange<Key>] = [.check(name: name, owner: entry.owner, state: newState)]
        switch entry.owner {
        case .site(let service, let site):
            let states = checks.values.filter { $0.owner == entry.owner }.map(\.filter.state)
            let siteState: HealthState = states.contains(.down) ? .down : (states.allSatisfy { $0 == .up } ? .up : .unknown)
            if siteStates[entry.owner] != siteState {
                siteStates[entry.owner] = siteState
                changes.append(.site(service: service, site: site, state: siteState))
            }
        case .witness:
            let witnesses = checks.values.filter { $0.owner == .witness }
            let nowIsolated = !witnesses.isEmpty && witnesses.allSatisfy { $0.filter.state == .down }
            if nowIsolated != isolated {
                isolated = nowIsolated
                changes.append(.isolated(nowIsolated))
            }
        }
        entry = checks[name]!
        return changes
    }
}
