import DNSZone
/// Parses a query packet, checking every bound; never reads outside `packet`.
public enum QueryParser {
    /// Parses header, question and any OPT record.
    public static func parse(_ packet: UnsafeRawBufferPointer) -> ParseOutcome {
        guard packet.count >= 12 else { return .drop }
        let id = UInt16(packet[0]) << 8 | UInt16(packet[1])
        let flags = packet[2]
        guard flags & 0x80 == 0 else { return .drop }  // QR=1: a response; never answer it
        let opcode = (flags >> 3) & 0x0F
        let rd = flags & 0x01 != 0
        func fail(_ rcode: UInt8) -> ParseOutcome { .headerOnly(id: id, opcode: opcode, recursionDesired: rd, rcode: rcode) }
        guard opcode == 0 || opcode == 4 else { return fail(RCode.notImp) }
        let qdcount = read16(packet, 4), ancount = read16(packet, 6), nscount = read16(packet, 8), arcount = read16(packet, 10)
        guard qdcount == 1 else {
            // No question: still answer an OPT with one (a cookie-only query has QDCOUNT 0).
            let edns = qdcount == 0 ? scanRecords(packet, from: 12, ancount + nscount, arcount).edns : nil
            return .headerOnly(id: id, opcode: opcode, recursionDesired: rd, rcode: RCode.formErr, edns: edns ?? nil)
        }

        // Question name: plain labels only (a pointer here could only point at the header).
        var offset = 12
        while true {
            guard offset < packet.count else { return fail(RCode.formErr) }
            let length = Int(packet[offset])
            if length == 0 { offset += 1; break }
            guard length <= 63, offset + 1 + length < packet.count else { return fail(RCode.formErr) }
            offset += 1 + length
            guard offset - 12 < 255 else { return fail(RCode.formErr) }
        }
        let qnameLength = offset - 12
        guard offset + 4 <= packet.count else { return fail(RCode.formErr) }
        let qtype = read16(packet, offset), qclass = read16(packet, offset + 2)
        offset += 4
        guard ancount == 0 || opcode == 4 else { return fail(RCode.formErr) }
        guard nscount == 0 || qtype == 251 else { return fail(RCode.formErr) }  // IXFR carries an SOA there

        // Skip answer/authority records (NOTIFY, IXFR), then read the additional section for OPT.
        let records = scanRecords(packet, from: offset, ancount + nscount, arcount)
        guard records.complete, let edns = records.edns else {
            return .headerOnly(id: id, opcode: opcode, recursionDesired: rd, rcode: RCode.formErr, edns: records.edns ?? nil)
        }
        var query = ParsedQuery(
            id: id, opcode: opcode, recursionDesired: rd, checkingDisabled: packet[3] & 0x10 != 0,
            qnameLength: qnameLength, qtype: qtype, qclass: qclass, edns: edns)
        query.signed = records.signed
        if qtype == RRType.ixfr, nscount > 0, ancount == 0 { query.ixfrSerial = soaSerial(packet, at: offset) }
        return .query(query)
    }

    /// Walks `before` records (answer, authority), then `additional` ones, reading the OPT.
    /// `edns` is nil when the records broke off or held a second OPT or one not at the root,
    /// `.some(nil)` when they held none; `complete` says whether every record was read.
    private static func scanRecords(
        _ packet: UnsafeRawBufferPointer, from start: Int, _ before: UInt16, _ additional: UInt16
    ) -> (complete: Bool, edns: ParsedQuery.EDNS??, signed: Bool) {
        var offset = start
        var edns: ParsedQuery.EDNS?
        var signed = false
        for index in 0..<(Int(before) + Int(additional)) {
            guard let nameEnd = skipName(packet, offset), nameEnd + 10 <= packet.count else { return (false, .some(edns), signed) }
            let type = read16(packet, nameEnd)
            let rdlength = Int(read16(packet, nameEnd + 8))
            guard nameEnd + 10 + rdlength <= packet.count else { return (false, .some(edns), signed) }
            if type == 250 { signed = true }  // TSIG: the server checks it (and it must be last: TSIG.check)
            if type == 41 && index >= Int(before) {
                guard edns == nil, nameEnd == offset + 1 else { return (false, nil, signed) }  // one OPT, owner root
                let ttl = UInt32(read16(packet, nameEnd + 4)) << 16 | UInt32(read16(packet, nameEnd + 6))
                edns = ParsedQuery.EDNS(
                    payloadSize: read16(packet, nameEnd + 2), version: UInt8((ttl >> 16) & 0xFF),
                    dnssecOK: ttl & 0x8000 != 0)
            }
            offset = nameEnd + 10 + rdlength
        }
        return (true, .some(edns), signed)
    }

    /// The serial of the SOA record at `offset` (its RDATA's names may be compressed), or nil.
    private static func soaSerial(_ packet: UnsafeRawBufferPointer, at offset: Int) -> UInt32? {
        guard let nameEnd = skipName(packet, offset), nameEnd + 10 <= packet.count, read16(packet, nameEnd) == RRType.soa,
              let mname = skipName(packet, nameEnd + 10), let rname = skipName(packet, mname), rname + 4 <= packet.count else { return nil }
        return UInt32(read16(packet, rname)) << 16 | UInt32(read16(packet, rname + 2))
    }

    @inline(__always)
    static func read16(_ packet: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(packet[offset]) << 8 | UInt16(packet[offset + 1])
    }

    /// The offset after a possibly compressed name, or nil when it runs out of the packet,
    /// uses a reserved label type, or points forward or in a loop.
    static func skipName(_ packet: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var offset = start
        while true {
            guard offset < packet.count else { return nil }
            let length = Int(packet[offset])
            switch length & 0xC0 {
            case 0:
                if length == 0 { return offset + 1 }
                offset += 1 + length
            case 0xC0:
                guard offset + 1 < packet.count else { return nil }
                let target = (length & 0x3F) << 8 | Int(packet[offset + 1])
                guard target < offset, validatePointerChain(packet, target, limit: offset) else { return nil }
                return offset + 2
            default:
                return nil
            }
        }
    }

    /// Follows the name at `target` to its end, each pointer strictly backwards (so no loops).
    private static func validatePointerChain(_ packet: UnsafeRawBufferPointer, _ target: Int, limit: Int) -> Bool {
        var offset = target
        var bound = limit
        var total = 0
        while true {
            guard offset < bound else { return false }
            let length = Int(packet[offset])
            switch length & 0xC0 {
            case 0:
                if length == 0 { return true }
                total += length + 1
                guard total <= 255 else { return false }
                offset += 1 + length
            case 0xC0:
                guard offset + 1 < packet.count else { return false }
                let next = (length & 0x3F) << 8 | Int(packet[offset + 1])
                guard next < offset else { return false }
                bound = offset
                offset = next
            default:
                return false
            }
        }
    }
}
