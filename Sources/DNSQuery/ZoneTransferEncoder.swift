public import DNSZone

/// What a transfer request got (RFC 1995 §2, §4): the metrics count each kind.
public enum TransferKind: String, Sendable, CaseIterable {
    /// An AXFR: the whole zone.
    case axfr
    /// An IXFR the journal covers: the changes since the client's serial.
    case incremental = "ixfr"
    /// An IXFR from a serial the journal does not reach: the whole zone, in AXFR form.
    case full = "ixfr_full"
    /// An IXFR from the current serial (or a newer one): the single SOA.
    case upToDate = "ixfr_current"
}

/// Encodes zone transfers: an AXFR (SOA, every other RRset, SOA), an IXFR's changes (SOA, then
/// per change the old SOA, the records removed, the new SOA, the records added, then SOA), or
/// the single SOA of an up-to-date IXFR; packed into messages of at most `messageLimit` bytes,
/// the question in the first only, an OPT in each when the request had one (RFC 6891 §7).
public enum ZoneTransferEncoder {
    /// What `query` (AXFR or IXFR) gets from `zone`, and the messages that carry it.
    public static func messages(for zone: ServedZone, query: ParsedQuery, messageLimit: Int = 16384) -> (kind: TransferKind, messages: [[UInt8]]) {
        let (kind, rrsets) = plan(for: zone, query: query)
        return (kind, pack(rrsets, zone: zone, query: query, messageLimit: messageLimit))
    }

    /// The records, in order, that answer `query`.
    static func plan(for zone: ServedZone, query: ParsedQuery) -> (TransferKind, [PlacedRRset]) {
        let soa = PlacedRRset(owner: .name(zone.origin), rrset: zone.soa)
        guard query.qtype == RRType.ixfr, let client = query.ixfrSerial else { return (.axfr, whole(zone)) }
        if client == zone.serial || SerialNumber.isGreater(client, than: zone.serial) { return (.upToDate, [soa]) }
        guard let changes = zone.changes(since: client) else { return (.full, whole(zone)) }
        var rrsets = [soa]
        for change in changes {
            rrsets.append(PlacedRRset(owner: .name(zone.origin), rrset: zone.soa(atSerial: change.from)))
            rrsets += change.removed.map(placed)
            rrsets.append(PlacedRRset(owner: .name(zone.origin), rrset: zone.soa(atSerial: change.to)))
            rrsets += change.added.map(placed)
        }
        return (.incremental, rrsets + [soa])
    }

    private static func placed(_ record: ZoneDelta.Record) -> PlacedRRset {
        PlacedRRset(owner: .name(record.owner), rrset: ResourceRecordSet(type: record.type, ttl: record.ttl, rdatas: [record.rdata]))
    }

    private static func whole(_ zone: ServedZone) -> [PlacedRRset] {
        var rrsets: [PlacedRRset] = [PlacedRRset(owner: .name(zone.origin), rrset: zone.soa)]
        for owner in zone.ownerOrder {
            for rrset in zone.rrsets(at: owner) where !(owner == zone.origin && rrset.type == RRType.soa) {
                rrsets.append(PlacedRRset(owner: .name(owner), rrset: rrset))
            }
        }
        rrsets.append(PlacedRRset(owner: .name(zone.origin), rrset: zone.soa))
        return rrsets
    }

    private static func pack(_ rrsets: [PlacedRRset], zone: ServedZone, query: ParsedQuery, messageLimit: Int) -> [[UInt8]] {
        let opt = query.edns == nil ? 0 : 11
        var messages: [[UInt8]] = []
        var next = 0
        while next < rrsets.count {
            let first = messages.isEmpty
            let question = first ? zone.origin.wire + [UInt8(query.qtype >> 8), UInt8(query.qtype & 0xFF), 0, 1] : []
            var encoder = ResponseEncoder(prefix: [UInt8](repeating: 0, count: 12) + question,
                                          questionName: first ? zone.origin : .root, limit: messageLimit)
            var plan = AnswerPlan()
            plan.answer = Array(rrsets[next...])
            encoder.encode(plan, reserve: opt)
            let placed = max(encoder.placedRRsets, 1)  // an RRset too large for a message still goes alone
            var bytes = encoder.bytes
            if encoder.placedRRsets == 0 {
                var single = ResponseEncoder(prefix: [UInt8](repeating: 0, count: 12) + question,
                                             questionName: first ? zone.origin : .root, limit: 65535 - opt)
                plan.answer = [rrsets[next]]
                single.encode(plan, reserve: opt)
                bytes = single.bytes
            }
            var header: [UInt8] = []
            let answers = rrsets[next..<(next + placed)].reduce(0) { $0 + $1.rrset.rdatas.count }
            DNSHeader.write(&header, id: query.id, opcode: 0, aa: true, tc: false, rd: query.recursionDesired,
                            cd: false, rcode: 0, counts: (first ? 1 : 0, UInt16(answers), 0, UInt16(opt == 0 ? 0 : 1)))
            bytes.replaceSubrange(0..<12, with: header)
            QueryResponder.appendOPT(&bytes, query)
            messages.append(bytes)
            next += placed
        }
        return messages
    }
}
