public import DNSZone

/// Encodes an AXFR (also the reply to an IXFR, RFC 1995 §4): SOA, every other RRset, SOA,
/// packed into messages of at most `messageLimit` bytes, the question in the first only.
public enum ZoneTransferEncoder {
    /// The messages of a full transfer of `zone` answering `query`.
    public static func messages(for zone: ServedZone, query: ParsedQuery, messageLimit: Int = 16384) -> [[UInt8]] {
        var rrsets: [PlacedRRset] = [PlacedRRset(owner: .name(zone.origin), rrset: zone.soa)]
        for owner in zone.ownerOrder {
            for rrset in zone.rrsets(at: owner) where !(owner == zone.origin && rrset.type == RRType.soa) {
                rrsets.append(PlacedRRset(owner: .name(owner), rrset: rrset))
            }
        }
        rrsets.append(PlacedRRset(owner: .name(zone.origin), rrset: zone.soa))

        var messages: [[UInt8]] = []
        var next = 0
        while next < rrsets.count {
            let first = messages.isEmpty
            let question = first ? zone.origin.wire + [UInt8(query.qtype >> 8), UInt8(query.qtype & 0xFF), 0, 1] : []
            var encoder = ResponseEncoder(prefix: [UInt8](repeating: 0, count: 12) + question,
                                          questionName: first ? zone.origin : .root, limit: messageLimit)
            var plan = AnswerPlan()
            plan.answer = Array(rrsets[next...])
            encoder.encode(plan, reserve: 0)
            let placed = max(encoder.placedRRsets, 1)  // an RRset too large for a message still goes alone
            var bytes = encoder.bytes
            if encoder.placedRRsets == 0 {
                var single = ResponseEncoder(prefix: [UInt8](repeating: 0, count: 12) + question,
                                             questionName: first ? zone.origin : .root, limit: 65535)
                plan.answer = [rrsets[next]]
                single.encode(plan, reserve: 0)
                bytes = single.bytes
            }
            var header: [UInt8] = []
            let answers = rrsets[next..<(next + placed)].reduce(0) { $0 + $1.rrset.rdatas.count }
            DNSHeader.write(&header, id: query.id, opcode: 0, aa: true, tc: false, rd: query.recursionDesired,
                                       cd: false, rcode: 0, counts: (first ? 1 : 0, UInt16(answers), 0, 0))
            bytes.replaceSubrange(0..<12, with: header)
            messages.append(bytes)
            next += placed
        }
        return messages
    }
}
