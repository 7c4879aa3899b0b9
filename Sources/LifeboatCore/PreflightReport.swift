public import Foundation

/// What the read-only preflight found: whether the steps a failover will run can run, checked
/// against the standby before any outage (tables and columns, privileges, Apache configtest).
public struct PreflightReport: Sendable, Codable, Equatable {
    /// When it ran.
    public var checkedAt: Date
    /// What would make a read-only step fail; empty when every step can run.
    public var problems: [PreflightProblem]
    /// What the operator should know but is no failure (e.g. readonlymode not enabled).
    public var notes: [String]
    /// Per Drupal site, the physical tables its step touches.
    public var sites: [PreflightSite]

    /// Creates a report.
    public init(checkedAt: Date, problems: [PreflightProblem], notes: [String], sites: [PreflightSite]) {
        self.checkedAt = checkedAt
        self.problems = problems
        self.notes = notes
        self.sites = sites
    }

    /// Whether every step can run.
    public var ok: Bool { problems.isEmpty }

    /// One line for a `waiting` text or a webhook.
    public var summary: String {
        guard let first = problems.first else { return "preflight ok" }
        return "preflight failing: \(first.message) (\(first.key))" + (problems.count > 1 ? " and \(problems.count - 1) more" : "")
    }
}
