

/// The parts of a query the responder needs, as offsets into the packet (no copies).
public struct ParsedQuery: Sendable, Equatable {
    /// Message ID.
    public var id: UInt16
    /// Opcode (0 QUERY, 4 NOTIFY, …).
    public var opcode: UInt8
    /// RD bit.
    public var recursionDesired: Bool
    /// CD bit.
    public var checkingDisabled: Bool
    /// Where the question name starts (always 12) and its length in bytes.
    public var qnameLength: Int
    /// Question type.
    public var qtype: UInt16
    /// Question class.
    public var qclass: UInt16
    /// The EDNS OPT record, when the query had one.
    public var edns: EDNS?
    /// An IXFR's serial: the one in the SOA of its authority section (RFC 1995 §3).
    public var ixfrSerial: UInt32? = nil
    /// Whether the message carries a TSIG record: the server checks and answers it signed.
    public var signed = false

    /// The end of the question section: 12 + name + type + class.
    public var questionEnd: Int { 12 + qnameLength + 4 }

    /// What the client said in its OPT record.
    public struct EDNS: Sendable, Equatable {
        /// Advertised UDP payload size.
        public var payloadSize: UInt16
        /// EDNS version.
        public var version: UInt8
        /// The DO bit.
        public var dnssecOK: Bool
    }
}
