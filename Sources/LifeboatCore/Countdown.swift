public import Foundation

/// A timer and when it ends.
public struct Countdown: Sendable, Codable, Equatable {
    /// `holddown`, `drain`, `anti-flap`, `retry` or `confirmation`.
    public var name: FailoverTimer.Name
    /// When it ends.
    public var until: Date

    /// Creates a value with every field given.
    public init(name: FailoverTimer.Name, until: Date) {
        self.name = name
        self.until = until
    }
}
