public import DomainNames
/// One zone's data, immutable: its apex, serial and every node's RRsets in file order.
public struct ZoneContents: Sendable, Equatable {
    /// The apex.
    public let origin: DNSName
    /// RRsets by owner; every name that exists, in file order of first appearance.
    public private(set) var nodes: [DNSName: [ResourceRecordSet]]
    /// Owners in the order they first appear (AXFR and stable output use it).
    public private(set) var ownerOrder: [DNSName]

    /// Groups a loaded file's records into RRsets.
    public init(file: ZoneFile) {
        origin = DNSName(file.origin) ?? .root
        nodes = [:]
        ownerOrder = []
        for record in file.records {
            var rrsets = nodes[record.ownerName] ?? []
            if rrsets.isEmpty { ownerOrder.append(record.ownerName) }
            if let index = rrsets.firstIndex(where: { $0.type == record.type }) {
                if !rrsets[index].rdatas.contains(record.rdata) { rrsets[index].rdatas.append(record.rdata) }
            } else {
                rrsets.append(ResourceRecordSet(type: record.type, ttl: record.ttl, rdatas: [record.rdata]))
            }
            nodes[record.ownerName] = rrsets
        }
    }

    /// The SOA RRset (always present: the loader refuses a zone without one).
    public var soa: ResourceRecordSet {
        nodes[origin]?.first { $0.type == RRType.soa } ?? ResourceRecordSet(type: RRType.soa, ttl: 0, rdatas: [])
    }

    /// The serial in the SOA.
    public var serial: UInt32 { Self.serial(of: soa) }

    /// The serial in an SOA RRset's RDATA.
    static func serial(of soa: ResourceRecordSet) -> UInt32 {
        guard let rdata = soa.rdatas.first, let offset = serialOffset(rdata) else { return 0 }
        return rdata[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The negative-answer TTL: min(SOA TTL, SOA minimum) (RFC 2308).
    public var negativeTTL: UInt32 {
        guard let rdata = soa.rdatas.first, let offset = Self.serialOffset(rdata), offset + 20 <= rdata.count else { return 0 }
        let minimum = rdata[(offset + 16)..<(offset + 20)].reduce(0) { $0 << 8 | UInt32($1) }
        return min(soa.ttl, minimum)
    }

    /// Where the serial starts in SOA RDATA: after MNAME and RNAME (uncompressed).
    static func serialOffset(_ rdata: [UInt8]) -> Int? {
        var offset = 0
        for _ in 0..<2 {
            while offset < rdata.count, rdata[offset] != 0 { offset += Int(rdata[offset]) + 1 }
            offset += 1
        }
        return offset + 20 <= rdata.count ? offset : nil
    }
}

/// RFC 1982 serial number arithmetic.
public enum SerialNumber {
    /// Whether `a` is greater than `b` in serial number arithmetic.
    public static func isGreater(_ a: UInt32, than b: UInt32) -> Bool {
        a != b && (a &- b) < 0x8000_0000
    }

    /// The serial after `current` that is also after `floor` (never going back).
    public static func next(after current: UInt32, atLeast floor: UInt32) -> UInt32 {
        let bumped = current &+ 1
        return isGreater(floor, than: bumped) ? floor : bumped
    }
}
