import Foundation

/// One table a step touches.
public struct PreflightTable: Sendable, Codable, Equatable {
    /// `database.table`.
    public var table: String
    /// Drupal's name for it: `sessions`.
    public var drupalName: String
    /// What the step does: `purge-sessions`, `purge-page-cache`, `access-rules`, `site-readonly`.
    public var operation: String
    /// The key that decides where it lives.
    public var key: String
    /// For a shared table: the step that changes it.
    public var doneBy: String?

    /// Creates a value with every field given.
    public init(table: String, drupalName: String, operation: String, key: String, doneBy: String? = nil) {
        self.table = table
        self.drupalName = drupalName
        self.operation = operation
        self.key = key
        self.doneBy = doneBy
    }
}
