import Foundation

/// One step of a sequence.
public struct StepStatus: Sendable, Codable, Equatable {
    /// The name.
    public var name: String
    /// The state.
    public var state: StepState
    /// How long it took (done steps) in milliseconds.
    public var durationMs: Int?
    /// What it did or why it failed.
    public var detail: String?

    /// Creates a value with every field given.
    public init(name: String, state: StepState, durationMs: Int?, detail: String?) {
        self.name = name
        self.state = state
        self.durationMs = durationMs
        self.detail = detail
    }
}
