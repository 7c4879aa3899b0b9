import Foundation

/// The answer to a control call (`POST /api/v1/services/{name}/{command}`).
public struct CommandResponse: Sendable, Codable, Equatable {
    /// The service's name.
    public var service: String
    /// The command's name.
    public var command: String
    /// Whether it was carried out.
    public var accepted: Bool
    /// The library's or the check's own words.
    public var message: String
    /// The phase after the command.
    public var phase: FailoverPhase

    /// Creates a value with every field given.
    public init(service: String, command: String, accepted: Bool, message: String, phase: FailoverPhase) {
        self.service = service
        self.command = command
        self.accepted = accepted
        self.message = message
        self.phase = phase
    }
}
