public import Foundation

/// Everything the status page, `/api/v1/status` and `lifeboat status` show.
public struct StatusReport: Sendable, Codable, Equatable {
    /// When the report was made.
    public var generatedAt: Date
    /// Lifeboat's version.
    public var version: String
    /// Every witness is down: Lifeboat may be the one cut off.
    public var isolated: Bool
    /// One entry per `[[service]]`.
    public var services: [ServiceStatus]
    /// The witness checks.
    public var witnesses: [CheckStatus]
    /// A configuration reload waiting for a sequence (under way or stopped in ERROR) to end.
    public var reloadDeferred: String?
    /// The last time, within the last 2 minutes, that Lifeboat's own host could not run a check.
    public var localProblem: String?
    /// This site's view of its cluster; nil standalone.
    public var cluster: ClusterStatus?

    /// Creates a report.
    public init(generatedAt: Date, version: String, isolated: Bool, services: [ServiceStatus], witnesses: [CheckStatus]) {
        self.generatedAt = generatedAt
        self.version = version
        self.isolated = isolated
        self.services = services
        self.witnesses = witnesses
    }
}
