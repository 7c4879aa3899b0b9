public import DomainNames
/// One resource record as read from a zone file.
public struct ZoneRecord: Sendable, Equatable {
    /// Owner name, lower-cased, fully qualified (`"www.example.com."`).
    public var owner: String
    /// Owner name in lower-cased, uncompressed wire format.
    public var ownerName: DNSName
    /// RR type code (1 = A, 28 = AAAA, …).
    public var type: UInt16
    /// Class code (1 = IN).
    public var recordClass: UInt16
    /// TTL in seconds.
    public var ttl: UInt32
    /// RDATA in uncompressed wire format.
    public var rdata: [UInt8]
    /// The record in presentation format, as ldns prints it.
    public var text: String
    /// The line of the zone file the record ends on.
    public var line: Int

    /// Creates a record (the loader does; tests and tools may too).
    public init(owner: String, ownerName: DNSName, type: UInt16, recordClass: UInt16, ttl: UInt32, rdata: [UInt8], text: String, line: Int) {
        self.owner = owner
        self.ownerName = ownerName
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.rdata = rdata
        self.text = text
        self.line = line
    }
}

/// Well-known RR type codes.
public enum RRType {
    public static let a: UInt16 = 1
    public static let ns: UInt16 = 2
    public static let cname: UInt16 = 5
    public static let soa: UInt16 = 6
    public static let mx: UInt16 = 15
    public static let txt: UInt16 = 16
    public static let aaaa: UInt16 = 28
}

/// A parsed zone file: its origin and records, checked for the basics a server needs.
public struct ZoneFile: Sendable, Equatable {
    /// The zone's apex, lower-case, with the trailing dot.
    public var origin: String
    /// All records in file order; the SOA is among them.
    public var records: [ZoneRecord]

    /// Creates a zone from records (the loader does; tests and tools may too).
    public init(origin: String, records: [ZoneRecord]) {
        self.origin = origin
        self.records = records
    }

    /// The SOA serial.
    public var serial: UInt32 { ZoneContents(file: self).serial }
}
