import Foundation
import LifeboatConfig
import LifeboatCore
import NativeClients
import SystemIO

/// `[service.refresh]`: refreshes a standby that does not replicate, atomically for the site.
/// The command loads a copy into a scratch database beside the live one; the copy must hold the
/// tables the read-only steps use and pass `verify` (its data's age within `max_lag`); then one
/// `RENAME TABLE` moves the live tables aside and the copy's in — MariaDB renames them all or
/// none (atomic DDL, 10.6+) — so a visitor sees the old data or the new, never a half-loaded
/// database. Whatever fails before the swap leaves the live database untouched.
struct DumpRefresh: Sendable {
    let settings: RefreshSettings
    /// The live database (`readonly.mysql.database`).
    let live: String
    let database: StandbyDatabase
    var commands: CommandRunner
    let maxLag: Duration
    /// Tables of the live database the read-only steps use: the copy must have them too.
    let requiredTables: [String]

    var scratch: String { RefreshSettings.scratchDatabase(of: live) }
    var previous: String { RefreshSettings.previousDatabase(of: live) }

    /// Loads, verifies and swaps; returns what it did and what the swap put in place.
    func run() async throws -> (String, RefreshSwap) {
        let started = ContinuousClock.now
        try await prepareScratch()
        let output: String
        let age: Int
        let tables: [String]
        do {
            output = try await commands.require(
                settings.command, "refresh", timeout: settings.timeout,
                environment: ["LIFEBOAT_REFRESH_DATABASE=\(scratch)", "LIFEBOAT_DATABASE=\(live)"])
            (tables, age) = try await verifyScratch()
        } catch {
            try? await dropScratch()
            throw StandbyActionError((error as? StandbyActionError)?.kind ?? .command,
                "\((error as? StandbyActionError)?.message ?? "\(error)"); the live database \(live) was not touched")
        }
        let swap = try await swapIn(tables: tables, age: age)
        let seconds = (ContinuousClock.now - started).components.seconds
        let detail = "swapped \(swap.tables) tables into \(live) (≈\(swap.rows ?? 0) rows, \(swap.bytes ?? 0) bytes), verify: newest data \(age)s old, in \(seconds)s"
        return (detail + (output.isEmpty ? "" : "; command said: \(output)"), swap)
    }

    /// A fresh, empty scratch database with the live database's character set and collation.
    private func prepareScratch() async throws {
        let (live, scratch) = (self.live, self.scratch)
        try await database.withConnection { db in
            let row = try db.query("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(SQLLiteral.text(live))").rows.first
            guard let charset = row?[0], let collation = row?[1] else {
                throw StandbyActionError(.database, "the live database \(live) does not exist on the standby")
            }
            _ = try db.query("DROP DATABASE IF EXISTS \(SQLName.quoted(scratch))")
            _ = try db.query("CREATE DATABASE \(SQLName.quoted(scratch)) CHARACTER SET \(SQLName.quoted(charset)) COLLATE \(SQLName.quoted(collation))")
        }
    }

    private func dropScratch() async throws {
        let scratch = self.scratch
        try await database.withConnection { db in _ = try db.query("DROP DATABASE IF EXISTS \(SQLName.quoted(scratch))") }
    }

    /// The copy's tables, and its data's age from `verify` (run with the copy as the default database).
    private func verifyScratch() async throws -> ([String], Int) {
        let (scratch, verify, required, maxLag) = (self.scratch, settings.verify, requiredTables, self.maxLag)
        return try await database.withConnection { db in
            let tables = try Self.baseTables(of: scratch, db)
            guard !tables.isEmpty else {
                throw StandbyActionError(.verification, "the refresh command loaded no table into \(scratch)")
            }
            let missing = required.filter { !tables.contains($0) }
            guard missing.isEmpty else {
                throw StandbyActionError(.verification, "the copy in \(scratch) lacks table(s) \(missing.joined(separator: ", ")) that the read-only steps use")
            }
            _ = try db.query("USE \(SQLName.quoted(scratch))")
            let answer: String?
            do { answer = try db.query(verify).rows.first?.first ?? nil } catch {
                throw StandbyActionError(.verification, "verify query on the copy failed: \((error as? NativeClientError)?.message ?? "\(error)")")
            }
            guard let answer, let age = Double(answer) else {
                throw StandbyActionError(.verification, "verify query on the copy returned \(answer.map { "\"\($0)\"" } ?? "NULL"), not an age in seconds")
            }
            guard Duration.seconds(age) <= maxLag else {
                throw StandbyActionError(.verification, "the copy's data is \(Int(age))s old, more than max_lag (\(DurationText.format(maxLag)))")
            }
            return (tables, max(0, Int(age)))
        }
    }

    /// One `RENAME TABLE`: live tables to the previous database, the copy's to the live one.
    private func swapIn(tables: [String], age: Int) async throws -> RefreshSwap {
        let (live, scratch, previous) = (self.live, self.scratch, self.previous)
        return try await database.withConnection { db in
            let current = try Self.baseTables(of: live, db)
            _ = try db.query("DROP DATABASE IF EXISTS \(SQLName.quoted(previous))")
            _ = try db.query("CREATE DATABASE \(SQLName.quoted(previous))")
            // A query holding a table must not stall the swap (and the site behind it) for long.
            _ = try db.query("SET SESSION lock_wait_timeout = 30")
            let moves = current.map { "\(SQLName.quoted(live)).\(SQLName.quoted($0)) TO \(SQLName.quoted(previous)).\(SQLName.quoted($0))" }
                + tables.map { "\(SQLName.quoted(scratch)).\(SQLName.quoted($0)) TO \(SQLName.quoted(live)).\(SQLName.quoted($0))" }
            do { _ = try db.query("RENAME TABLE " + moves.joined(separator: ", ")) } catch {
                throw StandbyActionError(.database, "the swap (RENAME TABLE) failed, so nothing moved: \((error as? NativeClientError)?.message ?? "\(error)")")
            }
            _ = try db.query("DROP DATABASE \(SQLName.quoted(previous))")
            _ = try db.query("DROP DATABASE IF EXISTS \(SQLName.quoted(scratch))")
            let stats = try db.query("""
                SELECT COUNT(*), SUM(TABLE_ROWS), SUM(DATA_LENGTH + INDEX_LENGTH) FROM information_schema.TABLES
                WHERE TABLE_SCHEMA = \(SQLLiteral.text(live)) AND TABLE_TYPE = 'BASE TABLE'
                """).rows.first
            let count = Int(stats?[0] ?? "") ?? 0
            guard count == tables.count else {
                throw StandbyActionError(.verification, "after the swap \(live) has \(count) tables, the copy had \(tables.count)")
            }
            return RefreshSwap(tables: count, rows: Int(stats?[1] ?? ""), bytes: Int(stats?[2] ?? ""), dataAgeSeconds: age)
        }
    }

    private static func baseTables(of schema: String, _ db: MariaDBConnection) throws -> [String] {
        try db.query("""
            SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQLLiteral.text(schema))
            AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
            """).rows.compactMap { $0.first ?? nil }
    }
}

/// SQL identifiers quoted with backticks (a backtick inside doubled).
enum SQLName {
    static func quoted(_ name: String) -> String { "`" + name.replacingOccurrences(of: "`", with: "``") + "`" }
}
