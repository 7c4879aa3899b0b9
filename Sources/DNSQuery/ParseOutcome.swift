

/// What parsing a packet gives.
public enum ParseOutcome: Sendable, Equatable {
    /// Not answerable at all (shorter than a header, or a response): send nothing.
    case drop
    /// A header that parsed, with a problem after it: answer with this rcode and no question.
    case headerOnly(id: UInt16, opcode: UInt8, recursionDesired: Bool, rcode: UInt8)
    /// A well-formed query.
    case query(ParsedQuery)
}
