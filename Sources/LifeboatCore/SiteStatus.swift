import Foundation

/// A site's health.
public struct SiteStatus: Sendable, Codable, Equatable {
    /// The state.
    public var state: HealthState
    /// What it did, or why it failed.
    public var detail: String
    /// The addresses served (or configured) for it.
    public var addresses: [String]
    /// The site's checks.
    public var checks: [CheckStatus]

    /// Creates a value with every field given.
    public init(state: HealthState, detail: String, addresses: [String], checks: [CheckStatus]) {
        self.state = state
        self.detail = detail
        self.addresses = addresses
        self.checks = checks
    }
}
