/// A table as the database names it: `database.table`.
public struct PhysicalTable: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The database (schema) the table lives in.
    public var database: String
    /// The table's name in it, prefix included.
    public var name: String

    /// Creates a table name.
    public init(database: String, name: String) {
        self.database = database
        self.name = name
    }

    /// `database.table`, as error messages and the journal show it.
    public var description: String { "\(database).\(name)" }
    /// The quoted identifier for SQL: `` `database`.`table` `` (both are identifier characters only).
    public var sql: String { "`\(database)`.`\(name)`" }

    public static func < (a: PhysicalTable, b: PhysicalTable) -> Bool { (a.database, a.name) < (b.database, b.name) }
}

/// Drupal's table prefix for one site: a string for every table, or Drupal's prefix array
/// (`default` plus per-table entries). A prefix may name another database the way Drupal
/// allows it: `"shared."` puts the table in database `shared`, `"shared.pre_"` prefixes it too.
public struct TablePrefix: Sendable, Equatable {
    /// The prefix of every table not named in `perTable`.
    public var defaultPrefix: String
    /// Per-table prefixes, keyed by Drupal's table name (`sessions`, `users`, …).
    public var perTable: [String: String]

    /// Creates a prefix map.
    public init(defaultPrefix: String, perTable: [String: String] = [:]) {
        self.defaultPrefix = defaultPrefix
        self.perTable = perTable
    }

    /// The prefix Drupal puts before `table`.
    public func prefix(for table: String) -> String { perTable[table] ?? defaultPrefix }

    /// The table Drupal means by `{table}`, with `database` where the prefix names none.
    public func physical(_ table: String, database: String) -> PhysicalTable {
        let prefix = prefix(for: table)
        if let dot = prefix.firstIndex(of: ".") {
            return PhysicalTable(database: String(prefix[..<dot]), name: String(prefix[prefix.index(after: dot)...]) + table)
        }
        return PhysicalTable(database: database, name: prefix + table)
    }
}

/// One Drupal site sharing the standby database (`[[service.readonly.site]]`).
public struct DrupalSite: Sendable, Equatable {
    /// `name`: the site's name; its SQL step is `sql:<name>`.
    public var name: String
    /// `prefix`: a string or Drupal's prefix array.
    public var prefix: TablePrefix
    /// `database`: the site's database. Default `readonly.mysql.database`.
    public var database: String?
    /// Where the configuration names this site (for messages): `service[0].readonly.site[1]`
    /// or, for the `table_prefixes` shorthand, `service[0].readonly.table_prefixes[1]`.
    public var keyPath: String
    /// Whether the site came from `table_prefixes` (its step was once named `sql:<prefix>`).
    public var fromShorthand: Bool

    /// Creates a site.
    public init(name: String, prefix: TablePrefix, database: String? = nil, keyPath: String, fromShorthand: Bool = false) {
        self.name = name
        self.prefix = prefix
        self.database = database
        self.keyPath = keyPath
        self.fromShorthand = fromShorthand
    }

    /// The table Drupal means by `{table}` for this site.
    public func table(_ table: String, defaultDatabase: String) -> PhysicalTable {
        prefix.physical(table, database: database ?? defaultDatabase)
    }

    /// The configuration key whose value decides where `{table}` lives.
    public func keyPath(for table: String) -> String {
        if fromShorthand { return keyPath }
        if prefix.perTable[table] != nil { return "\(keyPath).prefix.\(table)" }
        return "\(keyPath).prefix"
    }
}
