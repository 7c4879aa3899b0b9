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

/// One thing that would make a read-only step fail, and the configuration key behind it.
public struct PreflightProblem: Sendable, Codable, Equatable {
    /// What is wrong: `table drupal.main_sessions: missing`.
    public var message: String
    /// The key that names it: `service[0].readonly.site[0].prefix`.
    public var key: String

    /// Creates a problem.
    public init(message: String, key: String) {
        self.message = message
        self.key = key
    }
}

/// One Drupal site's step and the tables it touches.
public struct PreflightSite: Sendable, Codable, Equatable {
    /// The site's name.
    public var name: String
    /// Its step: `sql:<name>`.
    public var step: String
    /// What the step does to which table.
    public var tables: [PreflightTable]
    /// Tables the site uses that another site's step changes (shared tables are changed once).
    public var shared: [PreflightTable]

    /// Creates a value with every field given.
    public init(name: String, step: String, tables: [PreflightTable], shared: [PreflightTable]) {
        self.name = name
        self.step = step
        self.tables = tables
        self.shared = shared
    }
}

/// One table a step touches.
public struct PreflightTable: Sendable, Codable, Equatable {
    /// `database.table`.
    public var table: String
    /// Drupal's name for it: `sessions`.
    public var drupalName: String
    /// What the step does: `purge-sessions`, `purge-page-cache`, `access-rules`, `site-readonly`.
    public var operation: String
    /// The key that decides where it lives.
    public var key: String
    /// For a shared table: the step that changes it.
    public var doneBy: String?

    /// Creates a value with every field given.
    public init(table: String, drupalName: String, operation: String, key: String, doneBy: String? = nil) {
        self.table = table
        self.drupalName = drupalName
        self.operation = operation
        self.key = key
        self.doneBy = doneBy
    }
}
