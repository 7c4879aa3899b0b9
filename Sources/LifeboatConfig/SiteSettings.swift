import DomainNames

/// `[service.primary]` / `[service.standby]`: where a site is and how to tell it works.
public struct SiteSettings: Sendable, Equatable {
    /// `addresses`: the A/AAAA values served while this site is active. Required.
    public var addresses: [IPAddress]
    /// `checks`: all must be up for the site to be up. Required, at least one.
    public var checks: [CheckSettings]
}
