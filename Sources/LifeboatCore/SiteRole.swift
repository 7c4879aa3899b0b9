

/// The two sites of a service.
public enum SiteRole: String, Sendable, Hashable, Codable {
    case primary
    case standby
}
