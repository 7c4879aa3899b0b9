

/// The answer to an operator's command.
public struct CommandReply: Sendable, Codable, Equatable {
    /// Whether the command was carried out.
    public var accepted: Bool
    /// What happened or why not.
    public var message: String

    /// Creates a reply.
    public init(accepted: Bool, message: String) {
        self.accepted = accepted
        self.message = message
    }
}
