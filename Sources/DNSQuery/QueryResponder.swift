import DomainNames
import DNSZone

/// How a query arrived: it decides the size limit and whether zone transfers are possible.
public enum Transport: Sendable {
    case udp
    case tcp
}

/// What to do with a packet after `QueryResponder.respond`.
public enum Disposition: Sendable, Equatable {
    /// Send the bytes written to `out`.
    case send
    /// Send nothing.
    case drop
    /// An AXFR or IXFR over TCP: the server streams the zone (after its ACL check).
    case transfer(ParsedQuery)
    /// A message with a TSIG record: the server checks the signature (`SignedResponder`).
    case signed(ParsedQuery)
}

/// Answers one query packet from a snapshot: packet in, response bytes out, no I/O.
public enum QueryResponder {
    /// The largest UDP response with EDNS (the 2020 flag-day value).
    public static let maxUDPPayload = 1232

    /// Writes the response to `packet` into `out` (cleared first, capacity kept).
    public static func respond(
        to packet: UnsafeRawBufferPointer, using snapshot: ServingSnapshot, transport: Transport, into out: inout [UInt8]
    ) -> Disposition {
        out.removeAll(keepingCapacity: true)
        let prepared: Bool = withExtendedLifetime(snapshot) {  // the view's pointers live as long as the snapshot
            guard let response = PreparedResponder.decide(packet, snapshot.view, tcp: transport == .tcp) else { return false }
            out.append(contentsOf: repeatElement(0, count: response.size))
            out.withUnsafeMutableBytes { PreparedResponder.write(response, question: packet, into: $0.baseAddress!) }
            return true
        }
        return prepared ? .send : respondInGeneral(to: packet, using: snapshot, transport: transport, into: &out)
    }

    /// The general path: every query, built from the snapshot's nodes (errors, wildcards,
    /// truncation, transfers, and whatever the prepared answers do not cover).
    static func respondInGeneral(
        to packet: UnsafeRawBufferPointer, using snapshot: ServingSnapshot, transport: Transport, into out: inout [UInt8]
    ) -> Disposition {
        out.removeAll(keepingCapacity: true)
        switch QueryParser.parse(packet) {
        case .drop:
            return .drop
        case .headerOnly(let id, let opcode, let rd, let rcode, let edns):
            DNSHeader.write(&out, id: id, opcode: opcode, aa: false, tc: false, rd: rd, cd: false, rcode: rcode,
                            counts: (0, 0, 0, edns == nil ? 0 : 1))
            if let edns { appendOPT(&out, dnssecOK: edns.dnssecOK) }
            return .send
        case .query(let query) where query.signed:
            return .signed(query)
        case .query(let query):
            return respond(to: query, packet: packet, snapshot: snapshot, transport: transport, into: &out)
        }
    }

    private static func respond(
        to query: ParsedQuery, packet: UnsafeRawBufferPointer, snapshot: ServingSnapshot, transport: Transport,
        into out: inout [UInt8]
    ) -> Disposition {
        let question = UnsafeRawBufferPointer(rebasing: packet[12..<query.questionEnd])
        if let edns = query.edns, edns.version > 0 {
            writeEmpty(&out, query, question, rcode: 0, extendedRCode: RCode.badVersExtended)
            return .send
        }
        if query.opcode == 4 || query.qclass != 1 {  // NOTIFY to a primary, or a class we do not serve
            writeEmpty(&out, query, question, rcode: RCode.refused)
            return .send
        }
        if query.qtype == RRType.axfr || query.qtype == RRType.ixfr {
            if transport == .tcp { return .transfer(query) }
            writeEmpty(&out, query, question, rcode: query.qtype == RRType.axfr ? RCode.formErr : RCode.refused)
            return query.qtype == RRType.ixfr ? udpIXFR(query, question, snapshot, &out) : .send
        }
        let limit: Int
        switch (transport, query.edns) {
        case (.tcp, _): limit = 65535
        case (.udp, let edns?): limit = min(max(Int(edns.payloadSize), 512), maxUDPPayload)
        case (.udp, nil): limit = 512
        }
        let qname = UnsafeRawBufferPointer(rebasing: packet[12..<(12 + query.qnameLength)])
        // The slow path: names that are not nodes (NXDOMAIN, wildcards, below a cut), types not
        // prepared, and answers that must be truncated.
        guard let name = DNSName(wire: Array(qname)) else {
            writeEmpty(&out, query, question, rcode: RCode.formErr)
            return .send
        }
        let plan = snapshot.resolver.plan(for: name, qtype: query.qtype)
        var encoder = ResponseEncoder(prefix: [UInt8](repeating: 0, count: 12) + Array(question), questionName: name, limit: limit)
        encoder.encode(plan, reserve: query.edns == nil ? 0 : 11)
        out.append(contentsOf: encoder.bytes)
        let ednsCount = query.edns == nil ? 0 : 1
        var header: [UInt8] = []
        DNSHeader.write(&header, id: query.id, opcode: 0, aa: plan.authoritative, tc: encoder.truncated, rd: query.recursionDesired,
                    cd: query.checkingDisabled, rcode: plan.rcode,
                    counts: (1, UInt16(encoder.counts.answer), UInt16(encoder.counts.authority),
                             UInt16(encoder.counts.additional + ednsCount)))
        out.replaceSubrange(0..<12, with: header)
        appendOPT(&out, query)
        return .send
    }

    /// IXFR over UDP (RFC 1995 §2): the changes when the journal has them and they fit in one
    /// datagram; otherwise the current SOA alone, which tells the client to come over TCP (and
    /// an up-to-date client that there is nothing to fetch).
    private static func udpIXFR(_ query: ParsedQuery, _ question: UnsafeRawBufferPointer, _ snapshot: ServingSnapshot,
                                _ out: inout [UInt8]) -> Disposition {
        guard let name = DNSName(wire: Array(question.prefix(query.qnameLength))),
              let zone = snapshot.zones.first(where: { $0.origin == name }) else { return .send }
        let limit = query.edns.map { min(max(Int($0.payloadSize), 512), maxUDPPayload) } ?? 512
        var single = query
        single.ixfrSerial = zone.serial  // what an up-to-date client gets: the SOA alone
        let incremental = ZoneTransferEncoder.messages(for: zone, query: query, messageLimit: limit)
        let chosen = incremental.kind == .incremental && incremental.messages.count == 1 && incremental.messages[0].count <= limit
            ? incremental.messages[0] : ZoneTransferEncoder.messages(for: zone, query: single, messageLimit: limit).messages[0]
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: chosen)
        return .send
    }

    /// A response to `query` (the parse of `packet`) with `rcode`, the question and no records
    /// but an OPT when the query had one.
    public static func writeError(_ out: inout [UInt8], _ query: ParsedQuery, _ packet: UnsafeRawBufferPointer, rcode: UInt8) {
        out.removeAll(keepingCapacity: true)
        writeEmpty(&out, query, UnsafeRawBufferPointer(rebasing: packet[12..<query.questionEnd]), rcode: rcode)
    }

    /// A response with the question and no records (REFUSED, BADVERS, …).
    private static func writeEmpty(_ out: inout [UInt8], _ query: ParsedQuery, _ question: UnsafeRawBufferPointer,
                                   rcode: UInt8, extendedRCode: UInt8 = 0) {
        let ednsCount: UInt16 = query.edns == nil ? 0 : 1
        DNSHeader.write(&out, id: query.id, opcode: query.opcode, aa: false, tc: false, rd: query.recursionDesired,
                    cd: query.checkingDisabled, rcode: rcode, counts: (1, 0, 0, ednsCount))
        out.append(contentsOf: question)
        appendOPT(&out, query, extendedRCode: extendedRCode)
    }

    /// Appends the OPT record when the query had one: payload 1232, version 0, DO echoed (the
    /// caller counts it in ARCOUNT).
    public static func appendOPT(_ out: inout [UInt8], _ query: ParsedQuery, extendedRCode: UInt8 = 0) {
        guard let edns = query.edns else { return }
        appendOPT(&out, extendedRCode: extendedRCode, dnssecOK: edns.dnssecOK)
    }

    static func appendOPT(_ out: inout [UInt8], extendedRCode: UInt8 = 0, dnssecOK: Bool) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 11))
        out.withUnsafeMutableBytes {
            DNSHeader.writeOPT(into: $0.baseAddress! + start, payload: UInt16(maxUDPPayload), extendedRCode: extendedRCode,
                               dnssecOK: dnssecOK)
        }
    }
}
