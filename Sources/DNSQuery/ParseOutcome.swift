

/// What parsing a packet gives.
public enum ParseOutcome: Sendable, Equatable {
    /// Not answerable at all (shorter than a header, or a response): send nothing.
    case drop
    /// A header that parsed, with a problem after it: answer with this rcode and no question
    /// (with an OPT when the packet's records, read as far as they go, held one: RFC 6891 §7).
    case headerOnly(id: UInt16, opcode: UInt8, recursionDesired: Bool, rcode: UInt8, edns: ParsedQuery.EDNS? = nil)
    /// A well-formed query.
    case query(ParsedQuery)
}
