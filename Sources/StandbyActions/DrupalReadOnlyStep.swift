import Foundation
import LifeboatConfig
import NativeClients

/// The database part of read-only mode for one Drupal table prefix (DESIGN.md, step 2): purge
/// sessions except the admin's (uid 1) and the page cache; Drupal 6 adds an `access` deny rule
/// for all users and an allow rule for the admin name (their `aid`s saved for revert); Drupal 7
/// sets `readonlymode`'s `site_readonly` where that module is enabled (the old value saved).
/// Apply and revert are idempotent: what they did is kept in a state file until reverted.
struct DrupalReadOnlyStep: Sendable {
    let preset: ReadOnlyPreset
    let prefix: String
    let adminName: String
    let database: StandbyDatabase
    /// `<state_dir>/readonly/<service>.<prefix>.json`.
    let stateFile: String

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

    func apply() async throws -> String {
        let saved = try loadState() ?? SavedState()
        return try await database.withConnection { db in try applyBlocking(db, saved: saved) }
    }

    func revert() async throws -> String {
        guard let saved = try loadState() else {
            // Nothing recorded: apply never ran, or revert already finished. Purge the cache anyway.
            try await database.withConnection { db in _ = try db.query("DELETE FROM \(prefix)cache_page") }
            return "\(prefix): nothing to revert; page cache purged"
        }
        let detail = try await database.withConnection { db in try revertBlocking(db, saved: saved) }
        do { try DurableFile.remove(stateFile) } catch { throw StandbyActionError(.file, error.message) }
        return detail
    }

    private func applyBlocking(_ db: MariaDBConnection, saved: SavedState) throws -> String {
        var state = saved
        let sessions = try db.integer("SELECT COUNT(*) FROM \(prefix)sessions WHERE uid <> 1")
        _ = try db.query("DELETE FROM \(prefix)sessions WHERE uid <> 1")
        let pages = try db.integer("SELECT COUNT(*) FROM \(prefix)cache_page")
        _ = try db.query("DELETE FROM \(prefix)cache_page")
        var notes = ["\(prefix): purged \(sessions) sessions, \(pages) cached pages"]
        switch preset {
        case .drupal6:
            state.accessIDs = try addAccessRules(db, saved: saved.accessIDs)
            notes.append("access rules \(state.accessIDList)")
        case .drupal7:
            if try readOnlyModeEnabled(db) {
                if !state.siteReadonlySet {
                    // Saved before the change, so a crash cannot make Lifeboat's own value the "previous" one.
                    state.previousSiteReadonly = try db.query("SELECT value FROM \(prefix)variable WHERE name = 'site_readonly'").rows.first?.first ?? nil
                    state.siteReadonlySet = true
                    try save(state)
                }
                _ = try db.query("REPLACE INTO \(prefix)variable (name, value) VALUES ('site_readonly', 'i:1;')")
                try clearVariableCache(db)
                notes.append("readonlymode on")
            }
        case .none:
            break
        }
        if state != saved { try save(state) }
        try verifyApplied(db, state: state)
        return notes.joined(separator: "; ")
    }

    /// Adds (or finds, after a crash) the deny-all and admin-allow rules; returns their ids.
    private func addAccessRules(_ db: MariaDBConnection, saved: [Int]) throws -> [Int] {
        if !saved.isEmpty, try db.integer("SELECT COUNT(*) FROM \(prefix)access WHERE aid IN (\(SavedState(accessIDs: saved).accessIDList))") == saved.count {
            return saved
        }
        var ids: [Int] = []
        let deny = "mask = '%' AND type = 'user' AND status = 0"
        if let existing = Int(try db.query("SELECT aid FROM \(prefix)access WHERE \(deny) LIMIT 1").rows.first?.first.flatMap { $0 } ?? "") {
            ids.append(existing)
        } else {
            _ = try db.query("INSERT INTO \(prefix)access (mask, type, status) VALUES ('%', 'user', 0)")
            ids.append(try db.integer("SELECT LAST_INSERT_ID()"))
        }
        let admin = SQLLiteral.text(adminName)
        if try db.integer("SELECT COUNT(*) FROM \(prefix)access WHERE mask = \(admin) AND type = 'user' AND status = 1") == 0 {
            _ = try db.query("INSERT INTO \(prefix)access (mask, type, status) VALUES (\(admin), 'user', 1)")
            ids.append(try db.integer("SELECT LAST_INSERT_ID()"))
        }
        return ids
    }

    private func readOnlyModeEnabled(_ db: MariaDBConnection) throws -> Bool {
        guard try db.tableExists("\(prefix)system"), try db.tableExists("\(prefix)variable") else { return false }
        return try db.integer("SELECT COUNT(*) FROM \(prefix)system WHERE name = 'readonlymode' AND status = 1") > 0
    }

    private func clearVariableCache(_ db: MariaDBConnection) throws {
        if try db.tableExists("\(prefix)cache_bootstrap") {
            _ = try db.query("DELETE FROM \(prefix)cache_bootstrap WHERE cid = 'variables'")
        }
    }

    private func verifyApplied(_ db: MariaDBConnection, state: SavedState) throws {
        var problems: [String] = []
        let sessions = try db.integer("SELECT COUNT(*) FROM \(prefix)sessions WHERE uid <> 1")
        if sessions > 0 { problems.append("\(sessions) sessions left") }
        let pages = try db.integer("SELECT COUNT(*) FROM \(prefix)cache_page")
        if pages > 0 { problems.append("\(pages) cached pages left") }
        if !state.accessIDs.isEmpty,
           try db.integer("SELECT COUNT(*) FROM \(prefix)access WHERE aid IN (\(state.accessIDList))") != state.accessIDs.count {
            problems.append("access rules missing")
        }
        if state.siteReadonlySet,
           try db.query("SELECT value FROM \(prefix)variable WHERE name = 'site_readonly'").rows.first?.first != "i:1;" {
            problems.append("site_readonly not set")
        }
        if !problems.isEmpty {
            throw StandbyActionError(.verification, "\(prefix): \(problems.joined(separator: ", "))")
        }
    }

    private func revertBlocking(_ db: MariaDBConnection, saved: SavedState) throws -> String {
        var notes: [String] = []
        if !saved.accessIDs.isEmpty {
            _ = try db.query("DELETE FROM \(prefix)access WHERE aid IN (\(saved.accessIDList))")
            notes.append("access rules removed")
        }
        if saved.siteReadonlySet {
            if let previous = saved.previousSiteReadonly {
                _ = try db.query("REPLACE INTO \(prefix)variable (name, value) VALUES ('site_readonly', \(SQLLiteral.text(previous)))")
            } else {
                _ = try db.query("DELETE FROM \(prefix)variable WHERE name = 'site_readonly'")
            }
            try clearVariableCache(db)
            notes.append("readonlymode restored")
        }
        _ = try db.query("DELETE FROM \(prefix)cache_page")
        notes.append("page cache purged")
        if !saved.accessIDs.isEmpty,
           try db.integer("SELECT COUNT(*) FROM \(prefix)access WHERE aid IN (\(saved.accessIDList))") != 0 {
            throw StandbyActionError(.verification, "\(prefix): access rules still present")
        }
        return "\(prefix): " + notes.joined(separator: ", ")
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
