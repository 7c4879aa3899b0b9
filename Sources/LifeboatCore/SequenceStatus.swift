import Foundation

/// A sequence's steps and how far it got.
public struct SequenceStatus: Sendable, Codable, Equatable {
    /// Failover or failback.
    public var direction: FailoverDirection
    /// Automatic or an operator.
    public var trigger: SequenceTrigger
    /// Whether an operator skipped the gates.
    public var forced: Bool
    /// The steps, each `done`, `running`, `waiting`, `retrying`, `failed` or `pending`.
    public var steps: [StepStatus]
    /// The current step's try.
    public var attempt: Int

    /// Creates a value with every field given.
    public init(direction: FailoverDirection, trigger: SequenceTrigger, forced: Bool, steps: [StepStatus], attempt: Int) {
        self.direction = direction
        self.trigger = trigger
        self.forced = forced
        self.steps = steps
        self.attempt = attempt
    }
}
