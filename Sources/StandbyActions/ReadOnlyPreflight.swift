import Foundation
import LifeboatConfig
import LifeboatCore
import NativeClients

/// Checks, before any outage, that a service's read-only steps can run on the standby: every
/// table each Drupal step touches exists with the columns it uses (information_schema), the
/// database user holds the privileges the steps need, and `apache_configtest` passes.
/// Read-only itself: it never writes, so it is safe against a replica.
struct ReadOnlyPreflight: Sendable {
    let service: ServiceSettings
    /// `service[<index>]`, the service's key path in the configuration.
    let serviceKey: String
    let database: StandbyDatabase?
    let commands: CommandRunner

    func run(now: Date = Date()) async -> PreflightReport {
        let readOnly = service.readOnly
        let plans = DrupalSitePlan.plans(for: readOnly)
        var problems: [PreflightProblem] = []
        var notes: [String] = []
        if let database, !plans.isEmpty || readOnly.stopReplication {
            do {
                let found = try await database.withConnection { [serviceKey] db in
                    try Self.inspect(
                        db, plans: plans, replication: readOnly.stopReplication, replicaReadOnly: readOnly.replicaReadOnly, serviceKey: serviceKey)
                }
                problems += found.problems
                notes += found.notes
            } catch {
                problems.append(PreflightProblem(message: "standby database: \(error)", key: "\(serviceKey).readonly.mysql"))
            }
        }
        if readOnly.apacheFlagFile != nil {
            do {
                let outcome = try await commands.run(readOnly.apacheConfigTest, timeout: .seconds(60))
                if !outcome.succeeded {
                    problems.append(PreflightProblem(
                        message: "apache_configtest (\(readOnly.apacheConfigTest.joined(separator: " "))) fails: \(CommandRunner.tail(outcome.output))",
                        key: "\(serviceKey).readonly.apache_configtest"))
                }
            } catch {
                problems.append(PreflightProblem(message: "apache_configtest could not run: \(error)", key: "\(serviceKey).readonly.apache_configtest"))
            }
        }
        return PreflightReport(checkedAt: now, problems: problems, notes: notes, sites: plans.map(Self.describe))
    }

    /// The tables per site, as `lifeboat check --json` and the API list them.
    static func describe(_ plan: DrupalSitePlan) -> PreflightSite {
        let tables = plan.operations.flatMap { operation in
            operation.tables.map { PreflightTable(table: $0.table.description, drupalName: $0.drupalName, operation: operation.kind, key: plan.keyPath(of: $0)) }
        }
        let shared = plan.sharedWith.flatMap { operation, owner in
            operation.tables.map {
                PreflightTable(table: $0.table.description, drupalName: $0.drupalName, operation: operation.kind, key: plan.keyPath(of: $0), doneBy: ReadOnlyStepID.drupal(owner).description)
            }
        }
        return PreflightSite(name: plan.site.name, step: plan.stepName.description, tables: tables, shared: shared)
    }

    private static func inspect(
        _ db: MariaDBConnection, plans: [DrupalSitePlan], replication: Bool, replicaReadOnly: Bool, serviceKey: String
    ) throws -> (problems: [PreflightProblem], notes: [String]) {
        var problems: [PreflightProblem] = []
        var notes: [String] = []
        let user = try db.query("SELECT CURRENT_USER()").rows.first?.first.flatMap { $0 } ?? "?"
        let grantee = "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')"
        let global = Set(try db.query("SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = \(grantee)").rows.compactMap { $0.first ?? nil })
        var checked = Set<PhysicalTable>()
        for plan in plans {
            for operation in plan.operations {
                for use in operation.tables where checked.insert(use.table).inserted {
                    let key = plan.keyPath(of: use)
                    let columns = Set(try db.query("""
                        SELECT COLUMN_NAME FROM information_schema.COLUMNS
                        WHERE TABLE_SCHEMA = \(SQLLiteral.text(use.table.database)) AND TABLE_NAME = \(SQLLiteral.text(use.table.name))
                        """).rows.compactMap { $0.first ?? nil }.map { $0.lowercased() })
                    guard !columns.isEmpty else {
                        problems.append(PreflightProblem(message: "table \(use.table): missing (Drupal's {\(use.drupalName)} of site \(plan.site.name))", key: key))
                        continue
                    }
                    let absent = use.columns.filter { !columns.contains($0) }
                    if !absent.isEmpty {
                        problems.append(PreflightProblem(message: "table \(use.table): no column \(absent.joined(separator: ", ")) (not Drupal's {\(use.drupalName)}?)", key: key))
                    }
                    let held = global.union(try db.query("""
                        SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES
                        WHERE GRANTEE = \(grantee) AND \(SQLLiteral.text(use.table.database)) LIKE TABLE_SCHEMA
                        UNION SELECT PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES
                        WHERE GRANTEE = \(grantee) AND TABLE_SCHEMA = \(SQLLiteral.text(use.table.database)) AND TABLE_NAME = \(SQLLiteral.text(use.table.name))
                        """).rows.compactMap { $0.first ?? nil })
                    let lacking = use.privileges.filter { !held.contains($0) }
                    if !lacking.isEmpty {
                        problems.append(PreflightProblem(
                            message: "table \(use.table): user \(user) lacks \(lacking.joined(separator: ", ")) (GRANT \(lacking.joined(separator: ", ")) ON \(use.table.sql) TO …)",
                            key: "\(serviceKey).readonly.mysql.user"))
                    }
                }
                if case .siteReadonly(_, let system, _) = operation, !problems.contains(where: { $0.message.hasPrefix("table \(system):") }),
                   try db.integer(DrupalReadOnlyStep.readOnlyModeQuery(system: system)) == 0 {
                    notes.append("site \(plan.site.name): \(DrupalReadOnlyStep.noReadOnlyMode)")
                }
            }
        }
        if replication, global.isDisjoint(with: ["SUPER", "REPLICATION SLAVE ADMIN"]) {
            problems.append(PreflightProblem(
                message: "user \(user) can neither stop nor start replication (needs REPLICATION SLAVE ADMIN, or SUPER before MariaDB 10.5)",
                key: "\(serviceKey).readonly.mysql.user"))
        }
        if replicaReadOnly, global.isDisjoint(with: ["SUPER", "READ_ONLY ADMIN"]) {
            problems.append(PreflightProblem(
                message: "user \(user) cannot SET GLOBAL read_only (needs READ_ONLY ADMIN, or SUPER before MariaDB 10.5.2): the replica could not be made writable on failover",
                key: "\(serviceKey).readonly.replica_read_only"))
        }
        return (problems, notes)
    }
}
