public import Foundation

/// What one Lifeboat site concludes about the primary from its own checks.
public enum SiteVerdict: String, Sendable, Codable {
    /// Its checks see the primary up.
    case up
    /// Its checks see the primary down.
    case down
    /// It cannot judge: its witnesses are down (its own path may be what is broken).
    case abstain
}

/// One site's published verdict, with when it was made and why.
public struct SiteObservation: Sendable, Codable, Equatable {
    /// The site (`cluster.site`).
    public var site: String
    public var verdict: SiteVerdict
    /// When the verdict was made (the site's clock).
    public var at: Date
    /// The failing checks with their reasons, or why it abstains.
    public var detail: String

    public init(site: String, verdict: SiteVerdict, at: Date, detail: String) {
        self.site = site
        self.verdict = verdict
        self.at = at
        self.detail = detail
    }
}

extension SiteVerdict {
    /// This site's verdict from its own view: abstain while isolated (every witness down: its own
    /// path may be what is broken) or while the primary's state is not known yet.
    public init(primary: HealthState, isolated: Bool) {
        if isolated {
            self = .abstain
            return
        }
        switch primary {
        case .up: self = .up
        case .down: self = .down
        case .unknown: self = .abstain
        }
    }
}
