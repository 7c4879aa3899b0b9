

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
