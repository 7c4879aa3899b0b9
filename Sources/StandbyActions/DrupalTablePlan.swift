public import LifeboatConfig
public import LifeboatCore

/// What one Drupal read-only operation does to one or more physical tables.
public enum DrupalOperation: Sendable, Equatable {
    /// `DELETE FROM {sessions} WHERE uid <> 1`: everyone but the admin logged out.
    case purgeSessions(PhysicalTable)
    /// `DELETE FROM {cache_page}`: no page cached before (or during) read-only is served.
    case purgePageCache(PhysicalTable)
    /// Drupal 6: `{access}` deny `('%','user',0)` and the admin-name allow rule.
    case accessRules(PhysicalTable)
    /// Drupal 7 with readonlymode: `site_readonly` in `{variable}` where `{system}` says the module
    /// is enabled, and the `variables` entry of `{cache_bootstrap}` cleared.
    case siteReadonly(variable: PhysicalTable, system: PhysicalTable, cacheBootstrap: PhysicalTable)

    /// A short name, as `lifeboat check --json` lists it.
    public var kind: String {
        switch self {
        case .purgeSessions: "purge-sessions"
        case .purgePageCache: "purge-page-cache"
        case .accessRules: "access-rules"
        case .siteReadonly: "site-readonly"
        }
    }

    /// The tables it touches, each with the Drupal table name, the columns it uses and the
    /// privileges it needs (for the preflight).
    public var tables: [TableUse] {
        switch self {
        case .purgeSessions(let table):
            [TableUse(drupalName: "sessions", table: table, columns: ["uid", "sid"], privileges: ["SELECT", "DELETE"])]
        case .purgePageCache(let table):
            [TableUse(drupalName: "cache_page", table: table, columns: ["cid", "data", "expire"], privileges: ["SELECT", "DELETE"])]
        case .accessRules(let table):
            [TableUse(drupalName: "access", table: table, columns: ["aid", "mask", "type", "status"], privileges: ["SELECT", "INSERT", "DELETE"])]
        case .siteReadonly(let variable, let system, let cacheBootstrap):
            [TableUse(drupalName: "system", table: system, columns: ["name", "status"], privileges: ["SELECT"]),
             TableUse(drupalName: "variable", table: variable, columns: ["name", "value"], privileges: ["SELECT", "INSERT", "DELETE"]),
             TableUse(drupalName: "cache_bootstrap", table: cacheBootstrap, columns: ["cid"], privileges: ["SELECT", "DELETE"])]
        }
    }

    /// The table whose change this is: the one claimed so it is changed once.
    var target: PhysicalTable {
        switch self {
        case .purgeSessions(let t), .purgePageCache(let t), .accessRules(let t): t
        case .siteReadonly(let variable, _, _): variable
        }
    }
}

/// One table an operation uses.
public struct TableUse: Sendable, Equatable {
    /// Drupal's name for it (`sessions`): which prefix entry decides it.
    public var drupalName: String
    /// The table in the database.
    public var table: PhysicalTable
    /// The columns the step reads or writes.
    public var columns: [String]
    /// The privileges the step needs on it.
    public var privileges: [String]
}

/// The read-only SQL of one Drupal site: the operations its step runs, and the tables it uses
/// that an earlier site's step already changes (shared tables are changed once).
public struct DrupalSitePlan: Sendable, Equatable {
    /// The site.
    public var site: DrupalSite
    /// The database tables default to.
    public var defaultDatabase: String
    /// What its step does, in order.
    public var operations: [DrupalOperation]
    /// Operations this site would run that another site's step runs: (what, the site doing it).
    public var sharedWith: [(operation: DrupalOperation, site: String)]

    /// `sql:<site>`.
    public var stepName: ReadOnlyStepID { .drupal(site.name) }

    public static func == (a: DrupalSitePlan, b: DrupalSitePlan) -> Bool {
        a.site == b.site && a.operations == b.operations && a.sharedWith.map(\.operation) == b.sharedWith.map(\.operation)
            && a.sharedWith.map(\.site) == b.sharedWith.map(\.site)
    }

    /// Where the configuration decides the table `use` names.
    public func keyPath(of use: TableUse) -> String { site.keyPath(for: use.drupalName) }

    /// The plans of every site of `readOnly`, in order; empty without a Drupal preset or database.
    public static func plans(for readOnly: ReadOnlySettings) -> [DrupalSitePlan] {
        guard readOnly.preset != .none, let mysql = readOnly.mysql else { return [] }
        var claimed: [PhysicalTable: String] = [:]
        return readOnly.sites.map { site in
            let table = { (name: String) in site.table(name, defaultDatabase: mysql.database ?? "") }
            var wanted: [DrupalOperation] = [.purgeSessions(table("sessions")), .purgePageCache(table("cache_page"))]
            switch readOnly.preset {
            case .drupal6: wanted.append(.accessRules(table("access")))
            case .drupal7: wanted.append(.siteReadonly(variable: table("variable"), system: table("system"), cacheBootstrap: table("cache_bootstrap")))
            case .none: break
            }
            var plan = DrupalSitePlan(site: site, defaultDatabase: mysql.database ?? "", operations: [], sharedWith: [])
            for operation in wanted {
                if let owner = claimed[operation.target] {
                    plan.sharedWith.append((operation, owner))
                } else {
                    claimed[operation.target] = site.name
                    plan.operations.append(operation)
                }
            }
            return plan
        }
    }
}
