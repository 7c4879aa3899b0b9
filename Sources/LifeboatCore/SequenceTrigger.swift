

/// What started a sequence.
public enum SequenceTrigger: String, Sendable, Codable {
    /// The health of the sites (gates passed).
    case automatic
    /// An operator's `promote` or `failback`.
    case `operator`
}
