public import Foundation

/// One line of a service's history (`/api/v1/history`, `lifeboat history`).
public struct HistoryEntry: Sendable, Codable, Equatable {
    /// The service's name.
    public var service: String
    /// When.
    public var at: Date
    /// A short kind: `phase`, `step`, `sequence`, `command`, `pause`, `maintenance`.
    public var kind: HistoryKind
    /// The event in words.
    public var summary: String

    /// Creates a value with every field given.
    public init(service: String, at: Date, kind: HistoryKind, summary: String) {
        self.service = service
        self.at = at
        self.kind = kind
        self.summary = summary
    }
}
