/// Where a step of the current sequence is, as the status shows it.
public enum StepState: String, Sendable, Codable, CaseIterable {
    /// Finished.
    case done
    /// Not reached yet.
    case pending
    /// Running now.
    case running
    /// The drain: waiting out the TTL.
    case waiting
    /// Failed; tried again when the retry timer ends.
    case retrying
    /// Failed, retries used up: the sequence stopped in ERROR.
    case failed
}
