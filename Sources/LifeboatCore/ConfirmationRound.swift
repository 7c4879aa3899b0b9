/// What one confirmation round found: the checks run together, at once, just before an
/// automatic failover would start.
public struct ConfirmationRound: Sendable, Equatable {
    /// Whether a check of the primary that was failing failed again.
    public var primaryFailing: Bool
    /// Whether a witness answered (true when none is configured).
    public var witnessUp: Bool
    /// The checks' results in words.
    public var detail: String

    /// Creates a round's result.
    public init(primaryFailing: Bool, witnessUp: Bool, detail: String) {
        self.primaryFailing = primaryFailing
        self.witnessUp = witnessUp
        self.detail = detail
    }
}
