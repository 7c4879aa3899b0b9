import Foundation

/// One thing that would make a read-only step fail, and the configuration key behind it.
public struct PreflightProblem: Sendable, Codable, Equatable {
    /// What is wrong: `table drupal.main_sessions: missing`.
    public var message: String
    /// The key that names it: `service[0].readonly.site[0].prefix`.
    public var key: String

    /// Creates a problem.
    public init(message: String, key: String) {
        self.message = message
        self.key = key
    }
}
