/// What one confirmation round found: the checks run together, at once, just before an
/// automatic failover would start.
public struct ConfirmationRound: Sendable, Equatable {
    /// Whether a check of the primary that was failing failed again.
    public var primaryFailing: Bool
    /// Whether a witness answered (true when none is configured).
    public var witnessUp: Bool
    /// The checks' results in words.
    public var detail: String
    /// Why the cluster holds an automatic failover now ("1 of 3 sites see the primary down
    /// (quorum 2); …", "not the cluster's leader"); nil standalone or when the sites agree.
    public var heldBy: String?

    /// Creates a round's result.
    public init(primaryFailing: Bool, witnessUp: Bool, detail: String, heldBy: String? = nil) {
        self.heldBy = heldBy
        self.primaryFailing = primaryFailing
        self.witnessUp = witnessUp
        self.detail = detail
    }
}
