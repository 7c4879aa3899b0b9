

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
