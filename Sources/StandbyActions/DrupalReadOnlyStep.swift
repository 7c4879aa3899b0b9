import Foundation
import LifeboatConfig
import NativeClients
import SystemIO

/// The database part of read-only mode for one Drupal site (DESIGN.md, step 2), on the physical
/// tables its plan names: sessions purged except the admin's (uid 1), the page cache purged;
/// Drupal 6 adds an `access` deny rule for all users and an allow rule for the admin name (their
/// `aid`s saved for revert); Drupal 7 sets readonlymode's `site_readonly` where that module is
/// enabled (the old value saved) and says so in words where it is not. A table shared with an
/// earlier site is left to that site's step. Apply and revert are idempotent: what they did is
/// kept in a state file until reverted.
struct DrupalReadOnlyStep: Sendable {
    let plan: DrupalSitePlan
    let adminName: String
    let database: StandbyDatabase
    /// `<state_dir>/readonly/<service>.<site>.json`.
    let stateFile: String

    /// The words the journal and the status page use when readonlymode is not there.
    static let noReadOnlyMode = "readonlymode not enabled: logins are refused by Apache only"

    /// What apply did that revert must undo.
    struct SavedState: Codable, Equatable {
        /// Drupal 6: the access rules Lifeboat added.
        var accessIDs: [Int] = []
        /// Drupal 7: whether `site_readonly` was set by Lifeboat, and its value before.
        var siteReadonlySet = false
        var previousSiteReadonly: String?

        /// The access rules' ids for `IN (…)`.
        var accessIDList: String { accessIDs.map(String.init).joined(separator: ",") }
    }

    private var name: String { plan.site.name }

    func apply() async throws -> String {
        let saved = try loadState() ?? SavedState()
        return try await database.withConnection { db in try applyBlocking(db, saved: saved) }
    }

    func revert() async throws -> String {
        let saved = try loadState()
        let detail = try await database.withConnection { db in try revertBlocking(db, saved: saved ?? SavedState()) }
        if saved != nil {
            do { try DurableFile.remove(stateFile) } catch { throw StandbyActionError(.file, error.message) }
        }
        return detail
    }

    private func applyBlocking(_ db: MariaDBConnection, saved: SavedState) throws -> String {
        var state = saved
        var notes: [String] = []
        for operation in plan.operations {
            switch operation {
            case .purgeSessions(let table):
                let rows = try db.affectedRows("DELETE FROM \(table.sql) WHERE uid <> 1")
                notes.append("\(table): \(rows) sessions purged (uid 1 kept)")
            case .purgePageCache(let table):
                let rows = try db.affectedRows("DELETE FROM \(table.sql)")
                notes.append("\(table): \(rows) cached pages purged")
            case .accessRules(let table):
                state.accessIDs = try addAccessRules(db, table: table, saved: saved.accessIDs)
                notes.append("\(table): access rules \(state.accessIDList) (deny all, allow \(adminName))")
            case .siteReadonly(let variable, let system, let cacheBootstrap):
                guard try readOnlyModeEnabled(db, system: system) else {
                    notes.append("\(Self.noReadOnlyMode) (\(system) has no enabled readonlymode)")
                    continue
                }
                if !state.siteReadonlySet {
                    // Saved before the change, so a crash cannot make Lifeboat's own value the "previous" one.
                    state.previousSiteReadonly = try db.query("SELECT value FROM \(variable.sql) WHERE name = 'site_readonly'").rows.first?.first ?? nil
                    state.siteReadonlySet = true
                    try save(state)
                }
                _ = try db.query("REPLACE INTO \(variable.sql) (name, value) VALUES ('site_readonly', 'i:1;')")
                _ = try db.query("DELETE FROM \(cacheBootstrap.sql) WHERE cid = 'variables'")
                notes.append("\(variable): site_readonly on, \(cacheBootstrap) variables cleared")
            }
        }
        for (operation, owner) in plan.sharedWith {
            notes.append("\(operation.target): shared, done by sql:\(owner)")
        }
        if state != saved { try save(state) }
        try verifyApplied(db, state: state)
        return "\(name): " + notes.joined(separator: "; ")
    }

    /// Adds (or finds, after a crash) the deny-all and admin-allow rules; returns their ids.
    private func addAccessRules(_ db: MariaDBConnection, table: PhysicalTable, saved: [Int]) throws -> [Int] {
        if !saved.isEmpty, try db.integer("SELECT COUNT(*) FROM \(table.sql) WHERE aid IN (\(SavedState(accessIDs: saved).accessIDList))") == saved.count {
            return saved
        }
        var ids: [Int] = []
        let deny = "mask = '%' AND type = 'user' AND status = 0"
        if let existing = Int(try db.query("SELECT aid FROM \(table.sql) WHERE \(deny) LIMIT 1").rows.first?.first.flatMap { $0 } ?? "") {
            ids.append(existing)
        } else {
            _ = try db.query("INSERT INTO \(table.sql) (mask, type, status) VALUES ('%', 'user', 0)")
            ids.append(try db.integer("SELECT LAST_INSERT_ID()"))
        }
        let admin = SQLLiteral.text(adminName)
        if try db.integer("SELECT COUNT(*) FROM \(table.sql) WHERE mask = \(admin) AND type = 'user' AND status = 1") == 0 {
            _ = try db.query("INSERT INTO \(table.sql) (mask, type, status) VALUES (\(admin), 'user', 1)")
            ids.append(try db.integer("SELECT LAST_INSERT_ID()"))
        }
        return ids
    }

    static func readOnlyModeQuery(system: PhysicalTable) -> String {
        "SELECT COUNT(*) FROM \(system.sql) WHERE name = 'readonlymode' AND type = 'module' AND status = 1"
    }

    private func readOnlyModeEnabled(_ db: MariaDBConnection, system: PhysicalTable) throws -> Bool {
        try db.integer(Self.readOnlyModeQuery(system: system)) > 0
    }

    private func verifyApplied(_ db: MariaDBConnection, state: SavedState) throws {
        var problems: [String] = []
        for operation in plan.operations {
            switch operation {
            case .purgeSessions(let table):
                let left = try db.integer("SELECT COUNT(*) FROM \(table.sql) WHERE uid <> 1")
                if left > 0 { problems.append("\(table): \(left) sessions left") }
            case .purgePageCache(let table):
                let left = try db.integer("SELECT COUNT(*) FROM \(table.sql)")
                if left > 0 { problems.append("\(table): \(left) cached pages left") }
            case .accessRules(let table):
                if try db.integer("SELECT COUNT(*) FROM \(table.sql) WHERE aid IN (\(state.accessIDList))") != state.accessIDs.count {
                    problems.append("\(table): access rules missing")
                }
            case .siteReadonly(let variable, _, _):
                if state.siteReadonlySet,
                   try db.query("SELECT value FROM \(variable.sql) WHERE name = 'site_readonly'").rows.first?.first != "i:1;" {
                    problems.append("\(variable): site_readonly not set")
                }
            }
        }
        if !problems.isEmpty {
            throw StandbyActionError(.verification, "\(name): \(problems.joined(separator: ", "))")
        }
    }

    private func revertBlocking(_ db: MariaDBConnection, saved: SavedState) throws -> String {
        var notes: [String] = []
        for operation in plan.operations.reversed() {
            switch operation {
            case .accessRules(let table) where !saved.accessIDs.isEmpty:
                let rows = try db.affectedRows("DELETE FROM \(table.sql) WHERE aid IN (\(saved.accessIDList))")
                if try db.integer("SELECT COUNT(*) FROM \(table.sql) WHERE aid IN (\(saved.accessIDList))") != 0 {
                    throw StandbyActionError(.verification, "\(name): \(table): access rules still present")
                }
                notes.append("\(table): \(rows) access rules removed")
            case .siteReadonly(let variable, _, let cacheBootstrap) where saved.siteReadonlySet:
                if let previous = saved.previousSiteReadonly {
                    _ = try db.query("REPLACE INTO \(variable.sql) (name, value) VALUES ('site_readonly', \(SQLLiteral.text(previous)))")
                } else {
                    _ = try db.query("DELETE FROM \(variable.sql) WHERE name = 'site_readonly'")
                }
                _ = try db.query("DELETE FROM \(cacheBootstrap.sql) WHERE cid = 'variables'")
                notes.append("\(variable): site_readonly restored")
            case .purgePageCache(let table):
                // Pages cached during the outage carry the banner: purged again.
                let rows = try db.affectedRows("DELETE FROM \(table.sql)")
                notes.append("\(table): \(rows) cached pages purged")
            default:
                break
            }
        }
        if notes.isEmpty { notes.append("nothing to revert") }
        return "\(name): " + notes.joined(separator: "; ")
    }

    private func loadState() throws -> SavedState? {
        guard let data = FileManager.default.contents(atPath: stateFile) else { return nil }
        do { return try JSONDecoder().decode(SavedState.self, from: data) } catch {
            throw StandbyActionError(.file, "\(stateFile): unreadable read-only state: \(error)")
        }
    }

    private func save(_ state: SavedState) throws {
        let text = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        do { try DurableFile.write(text, to: stateFile) } catch { throw StandbyActionError(.file, error.message) }
    }
}
