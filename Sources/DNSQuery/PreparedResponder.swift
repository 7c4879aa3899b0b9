import DNSZone

/// The hot path: answers a query from a snapshot's prepared bytes, writing the response in
/// place — header, the question copied, the prepared sections (their compression pointers moved
/// when the question is longer than the name they were encoded for), OPT. No allocation and no
/// reference counting. Anything else (errors, wildcards, truncation, transfers) returns nil and
/// goes to `QueryResponder`'s general path.
enum PreparedResponder {
    /// A response decided but not yet written: its size is known first.
    struct Response {
        let id: UInt16
        let authoritative: Bool
        let recursionDesired: Bool
        let rcode: UInt8
        let checkingDisabled: Bool
        let counts: (UInt16, UInt16, UInt16)
        let questionEnd: Int
        let sectionsOffset: Int
        let sectionsLength: Int
        let fixupStart: Int
        let fixupCount: Int
        let shift: Int
        let edns: ParsedQuery.EDNS?
        let layer: AnswerLayer.View
        var size: Int { questionEnd + sectionsLength + (edns == nil ? 0 : 11) }
    }

    /// The response to `packet`, or nil when the general path must answer it.
    @inline(__always)
    static func decide(_ packet: UnsafeRawBufferPointer, _ snapshot: ServingSnapshot.View, tcp: Bool) -> Response? {
        guard case .query(let query) = QueryParser.parse(packet), query.opcode == 0, query.qclass == 1,
              query.qtype != RRType.axfr, query.qtype != RRType.ixfr, (query.edns?.version ?? 0) == 0, !query.signed else { return nil }
        let limit = tcp ? 65535 : query.edns.map { min(max(Int($0.payloadSize), 512), QueryResponder.maxUDPPayload) } ?? 512
        let qname = UnsafeRawBufferPointer(rebasing: packet[12..<(12 + query.qnameLength)])

        var response: Response?
        if let node = snapshot.table.find(qname) {
            guard let (layer, entry) = snapshot.answer(node: node, qtype: query.qtype) else { return nil }
            let answer = layer.entries[entry]
            if answer.kind == .negative {
                response = negative(query, snapshot, zone: Int(snapshot.info[node].zone), rcode: answer.rcode)
            } else {
                response = make(query, layer, answer, shift: 0)
            }
        } else {
            // The closest existing ancestor decides: a referral below a cut, NXDOMAIN, or REFUSED
            // when no served zone holds the name. Wildcards take the general path.
            var offset = 0
            while response == nil {
                guard qname[offset] != 0 else {
                    response = refused(query)
                    break
                }
                offset += 1 + Int(qname[offset])
                guard let encloser = snapshot.table.find(UnsafeRawBufferPointer(rebasing: qname[offset...])) else { continue }
                let info = snapshot.info[encloser]
                if info.cut >= 0 {
                    guard let (layer, entry) = snapshot.answer(node: encloser, qtype: PreparedAnswer.otherTypes) else { return nil }
                    response = make(query, layer, layer.entries[entry], shift: offset)
                } else if info.wildcard >= 0 {
                    return nil
                } else {
                    response = negative(query, snapshot, zone: Int(info.zone), rcode: RCode.nxDomain)
                }
            }
        }
        guard let response, response.size <= limit, response.questionEnd + response.sectionsLength < 0x3F00 else { return nil }
        return response
    }

    /// Writes `response` to `out`, which has room for `response.size` bytes.
    @inline(__always)
    static func write(_ response: Response, question packet: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) {
        DNSHeader.write(
            into: out, id: response.id, opcode: 0, aa: response.authoritative, tc: false, rd: response.recursionDesired,
            cd: response.checkingDisabled, rcode: response.rcode,
            counts: (1, response.counts.0, response.counts.1, response.counts.2 + (response.edns == nil ? 0 : 1)))
        (out + 12).copyMemory(from: packet.baseAddress! + 12, byteCount: response.questionEnd - 12)
        let sections = out + response.questionEnd
        if response.sectionsLength > 0 {
            sections.copyMemory(from: response.layer.pool.baseAddress! + response.sectionsOffset, byteCount: response.sectionsLength)
        }
        if response.shift > 0 {
            for fixup in response.fixupStart..<(response.fixupStart + response.fixupCount) {
                let at = Int(response.layer.fixups[fixup])
                let pointer = UInt16(sections.load(fromByteOffset: at, as: UInt8.self)) << 8
                    | UInt16(sections.load(fromByteOffset: at + 1, as: UInt8.self))
                DNSHeader.store16(sections, at, pointer + UInt16(response.shift))
            }
        }
        if let edns = response.edns {
            DNSHeader.writeOPT(into: sections + response.sectionsLength, payload: UInt16(QueryResponder.maxUDPPayload),
                               dnssecOK: edns.dnssecOK)
        }
    }

    @inline(__always)
    private static func make(
        _ query: ParsedQuery, _ layer: AnswerLayer.View, _ answer: PreparedAnswer, shift: Int,
        authoritative: Bool? = nil, rcode: UInt8? = nil
    ) -> Response {
        Response(
            id: query.id, authoritative: authoritative ?? answer.authoritative, recursionDesired: query.recursionDesired,
            rcode: rcode ?? answer.rcode, checkingDisabled: query.checkingDisabled,
            counts: (answer.answerCount, answer.authorityCount, answer.additionalCount), questionEnd: query.questionEnd,
            sectionsOffset: Int(answer.offset), sectionsLength: Int(answer.length), fixupStart: Int(answer.fixupStart),
            fixupCount: Int(answer.fixupCount), shift: shift, edns: query.edns, layer: layer)
    }

    /// The zone's SOA in the authority section, moved to where the origin sits in this question.
    @inline(__always)
    private static func negative(_ query: ParsedQuery, _ snapshot: ServingSnapshot.View, zone: Int, rcode: UInt8) -> Response {
        let (entry, originLength) = snapshot.negative(zone: zone)
        return make(query, snapshot.top, snapshot.top.entries[entry], shift: query.qnameLength - originLength,
                    authoritative: true, rcode: rcode)
    }

    @inline(__always)
    private static func refused(_ query: ParsedQuery) -> Response {
        Response(
            id: query.id, authoritative: false, recursionDesired: query.recursionDesired, rcode: RCode.refused, checkingDisabled: query.checkingDisabled,
            counts: (0, 0, 0), questionEnd: query.questionEnd, sectionsOffset: 0, sectionsLength: 0, fixupStart: 0,
            fixupCount: 0, shift: 0, edns: query.edns, layer: .empty)
    }
}
