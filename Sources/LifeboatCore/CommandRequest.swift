import Foundation

/// The body of a control call: `{"force": bool, "reason": "...", "by": "..."}`, all optional.
public struct CommandRequest: Codable, Sendable {
    /// Skip the gates.
    public var force: Bool?
    /// Why, in words.
    public var reason: String?
    /// Who (for the journal).
    public var by: String?
    /// `abort` only: keep what the sequence applied instead of reverting it.
    public var keep: Bool?

    /// Creates a value with every field given.
    public init(force: Bool? = nil, reason: String? = nil, by: String? = nil, keep: Bool? = nil) {
        self.keep = keep
        self.force = force
        self.reason = reason
        self.by = by
    }
}
