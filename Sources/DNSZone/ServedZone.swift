public import DomainNames

/// A zone as served: its file's contents (shared, never copied on a change), the served serial,
/// and the owners whose RRsets a failover replaced. Changing an owner or the serial costs only
/// that owner, whatever the zone's size.
public struct ServedZone: Sendable, Equatable {
    /// The zone file's contents.
    public let file: ZoneContents
    /// The SOA with the served serial written in.
    public let soa: ResourceRecordSet
    /// RRsets that replace the file's at these owners.
    public let changedOwners: [DNSName: [ResourceRecordSet]]
    /// The changes that led to this version, oldest first, each ending where the next begins
    /// and the last at `serial` (IXFR answers from it).
    public let journal: [ZoneDelta]

    /// The file as it is, with its own serial.
    public init(file: ZoneContents) {
        self.init(file: file, serial: file.serial, changedOwners: [:])
    }

    /// The file with `serial` in its SOA and `changedOwners` replacing those owners' RRsets.
    public init(file: ZoneContents, serial: UInt32, changedOwners: [DNSName: [ResourceRecordSet]], journal: [ZoneDelta] = []) {
        self.file = file
        self.changedOwners = changedOwners
        self.journal = journal
        soa = Self.soa(file.soa, serial: serial)
    }

    /// `soa` with `serial` written in.
    static func soa(_ soa: ResourceRecordSet, serial: UInt32) -> ResourceRecordSet {
        var soa = soa
        if var rdata = soa.rdatas.first, let offset = ZoneContents.serialOffset(rdata) {
            for byte in 0..<4 { rdata[offset + byte] = UInt8(truncatingIfNeeded: serial >> (24 - 8 * byte)) }
            soa.rdatas = [rdata]
        }
        return soa
    }

    /// The SOA as version `serial` of the zone had it.
    public func soa(atSerial serial: UInt32) -> ResourceRecordSet {
        Self.soa(soa, serial: serial)
    }

    /// The journal's changes from version `serial` to the one served, or nil when the journal
    /// does not reach back to `serial` unbroken.
    public func changes(since serial: UInt32) -> ArraySlice<ZoneDelta>? {
        guard let start = journal.lastIndex(where: { $0.from == serial }) else { return nil }
        let changes = journal[start...]
        guard zip(changes, changes.dropFirst()).allSatisfy({ $0.to == $1.from }), changes.last?.to == self.serial else { return nil }
        return changes
    }

    /// The apex.
    public var origin: DNSName { file.origin }

    /// The served serial.
    public var serial: UInt32 { ZoneContents.serial(of: soa) }

    /// The negative-answer TTL: min(SOA TTL, SOA minimum) (RFC 2308).
    public var negativeTTL: UInt32 { file.negativeTTL }

    /// The RRsets served at `owner`, the SOA with the served serial.
    public func rrsets(at owner: DNSName) -> [ResourceRecordSet] {
        let sets = changedOwners[owner] ?? file.nodes[owner] ?? []
        // The apex's SOA is the served one, also when a failover changed the apex's addresses.
        return owner == file.origin ? sets.map { $0.type == RRType.soa ? soa : $0 } : sets
    }

    /// Every owner, in file order, then owners that only a change created (sorted).
    public var ownerOrder: [DNSName] {
        file.ownerOrder + changedOwners.keys.filter { file.nodes[$0] == nil }.sorted()
    }

    /// The RRsets of `owner` with its A and AAAA replaced by `addresses` (4 or 16 bytes each)
    /// with `ttl`; the other types stay.
    public func replacingAddresses(of owner: DNSName, with addresses: [[UInt8]], ttl: UInt32) -> [ResourceRecordSet] {
        var rrsets = file.nodes[owner] ?? []
        for (type, length) in [(RRType.a, 4), (RRType.aaaa, 16)] {
            let values = addresses.filter { $0.count == length }
            let existing = rrsets.firstIndex { $0.type == type }
            switch (existing, values.isEmpty) {
            case (let index?, true): rrsets.remove(at: index)
            case (let index?, false): rrsets[index] = ResourceRecordSet(type: type, ttl: ttl, rdatas: values)
            case (nil, false): rrsets.append(ResourceRecordSet(type: type, ttl: ttl, rdatas: values))
            case (nil, true): break
            }
        }
        return rrsets
    }
}
