/// All records of one type at one owner, sharing one TTL; RDATA in uncompressed wire format.
public struct ResourceRecordSet: Sendable, Equatable {
    /// The RR type.
    public var type: UInt16
    /// The TTL (the first record's, as written).
    public var ttl: UInt32
    /// Each record's RDATA, in file order, duplicates removed.
    public var rdatas: [[UInt8]]

    /// Creates an RRset.
    public init(type: UInt16, ttl: UInt32, rdatas: [[UInt8]]) {
        self.type = type
        self.ttl = ttl
        self.rdatas = rdatas
    }

    /// For types whose RDATA holds a domain name, the name and where it starts.
    /// Only the RFC 1035 types may have that name compressed in a response (RFC 3597).
    public static func embeddedNameOffset(type: UInt16) -> Int? {
        switch type {
        case RRType.ns, RRType.cname, RRType.ptr, RRType.soa: 0
        case RRType.mx: 2
        default: nil
        }
    }
}

extension RRType {
    public static let ptr: UInt16 = 12
    public static let srv: UInt16 = 33
    public static let opt: UInt16 = 41
    public static let ds: UInt16 = 43
    public static let ixfr: UInt16 = 251
    public static let axfr: UInt16 = 252
    public static let any: UInt16 = 255
}
