import Foundation

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
