

/// Where a check belongs.
public enum CheckOwner: Hashable, Sendable {
    case site(service: String, site: SiteRole)
    case witness
}
