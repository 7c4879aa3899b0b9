public import DomainNames

/// One change of a zone as IXFR sends it (RFC 1995 §4): the records version `from` had and
/// `to` has not, and those `to` added. The SOAs are not listed: they are the zone's SOA with
/// each serial written in.
public struct ZoneDelta: Sendable, Equatable {
    /// One resource record.
    public struct Record: Sendable, Equatable {
        public var owner: DNSName
        public var type: UInt16
        public var ttl: UInt32
        public var rdata: [UInt8]

        public init(owner: DNSName, type: UInt16, ttl: UInt32, rdata: [UInt8]) {
            self.owner = owner
            self.type = type
            self.ttl = ttl
            self.rdata = rdata
        }
    }

    public var from: UInt32
    public var to: UInt32
    public var removed: [Record]
    public var added: [Record]

    public init(from: UInt32, to: UInt32, removed: [Record], added: [Record]) {
        self.from = from
        self.to = to
        self.removed = removed
        self.added = added
    }

    /// What changed from `old` to `new` at `owners` (the SOA aside). An RRset whose TTL changed
    /// is removed and added whole; otherwise only the records that differ are listed.
    public static func between(_ old: ServedZone, _ new: ServedZone, owners: [DNSName]) -> ZoneDelta {
        var delta = ZoneDelta(from: old.serial, to: new.serial, removed: [], added: [])
        for owner in Set(owners).sorted() {
            let before = old.rrsets(at: owner).filter { $0.type != RRType.soa }
            let after = new.rrsets(at: owner).filter { $0.type != RRType.soa }
            for type in Set(before.map(\.type) + after.map(\.type)).sorted() {
                let was = before.first { $0.type == type }, now = after.first { $0.type == type }
                if was == now { continue }
                let sameTTL = was?.ttl == now?.ttl
                for rdata in was?.rdatas ?? [] where !sameTTL || !(now?.rdatas.contains(rdata) ?? false) {
                    delta.removed.append(Record(owner: owner, type: type, ttl: was!.ttl, rdata: rdata))
                }
                for rdata in now?.rdatas ?? [] where !sameTTL || !(was?.rdatas.contains(rdata) ?? false) {
                    delta.added.append(Record(owner: owner, type: type, ttl: now!.ttl, rdata: rdata))
                }
            }
        }
        return delta
    }

    /// The lines this change is kept as in the zone's state file: `delta FROM TO`, then one
    /// `- OWNER TYPE TTL HEX` or `+ …` line per record.
    public var lines: [String] {
        func line(_ sign: String, _ record: Record) -> String {
            "\(sign) \(record.owner) \(record.type) \(record.ttl) " + record.rdata.map { hexDigits[Int($0 >> 4)] + hexDigits[Int($0 & 15)] }.joined()
        }
        return ["delta \(from) \(to)"] + removed.map { line("-", $0) } + added.map { line("+", $0) }
    }

    /// Adds the record of a `-` or `+` line; false when the line is damaged.
    public mutating func take(_ fields: [Substring]) -> Bool {
        guard fields.count == 5, let owner = DNSName(String(fields[1])), let type = UInt16(fields[2]), let ttl = UInt32(fields[3]),
              fields[4].count % 2 == 0 else { return false }
        var rdata: [UInt8] = []
        var index = fields[4].startIndex
        while index < fields[4].endIndex {
            let next = fields[4].index(index, offsetBy: 2)
            guard let byte = UInt8(fields[4][index..<next], radix: 16) else { return false }
            rdata.append(byte)
            index = next
        }
        let record = Record(owner: owner, type: type, ttl: ttl, rdata: rdata)
        switch fields[0] {
        case "-": removed.append(record)
        case "+": added.append(record)
        default: return false
        }
        return true
    }
}

private let hexDigits = (0..<16).map { String($0, radix: 16) }
