import Foundation

/// An error answer: `{"error": "..."}`.
public struct APIError: Codable, Sendable {
    /// What went wrong.
    public var error: String

    /// Creates a value with every field given.
    public init(error: String) {
        self.error = error
    }
}
