

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
