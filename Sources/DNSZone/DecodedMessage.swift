import CLdns

#if canImport(Glibc)
import Glibc
#endif

/// A DNS message as ldns reads it, rendered to text: for tests, comparisons and logs (slow path).
public struct DecodedMessage: Sendable, Equatable {
    public var id: UInt16
    public var opcode: Int
    /// The full rcode, extended by the OPT record where there is one (16 = BADVERS).
    public var rcode: Int
    public var qr, aa, tc, rd, ra, cd: Bool
    /// The question as `name type` in presentation form, lower-cased name.
    public var question: [String]
    /// Each record as ldns prints it, names lower-cased, with tabs as single spaces.
    public var answer, authority, additional: [String]
    /// The OPT record's fields, when present.
    public var edns: EDNSInfo?

    public struct EDNSInfo: Sendable, Equatable {
        public var payloadSize: Int
        public var version: Int
        public var dnssecOK: Bool
    }

    /// Decodes `bytes`; nil when ldns cannot parse them.
    public static func decode(_ bytes: [UInt8]) -> DecodedMessage? {
        var packet: UnsafeMutablePointer<ldns_pkt>?
        let status = bytes.withUnsafeBufferPointer { ldns_wire2pkt(&packet, $0.baseAddress, $0.count) }
        guard status == LDNS_STATUS_OK, let packet else { return nil }
        defer { ldns_pkt_free(packet) }
        func texts(_ list: UnsafeMutablePointer<ldns_rr_list>?) -> [String] {
            guard let list else { return [] }
            return (0..<ldns_rr_list_rr_count(list)).map { index in
                guard let rr = ldns_rr_list_rr(list, index), let text = ldns_rr2str(rr) else { return "" }
                defer { free(text) }
                return Self.normalise(String(cString: text))
            }
        }
        let hasEDNS = ldns_pkt_edns(packet) != 0
        let extended = hasEDNS ? Int(ldns_pkt_edns_extended_rcode(packet)) << 4 : 0
        return DecodedMessage(
            id: ldns_pkt_id(packet), opcode: Int(ldns_pkt_get_opcode(packet).rawValue),
            rcode: extended | Int(ldns_pkt_get_rcode(packet).rawValue),
            qr: ldns_pkt_qr(packet) != 0, aa: ldns_pkt_aa(packet) != 0, tc: ldns_pkt_tc(packet) != 0, rd: ldns_pkt_rd(packet) != 0,
            ra: ldns_pkt_ra(packet) != 0, cd: ldns_pkt_cd(packet) != 0,
            question: texts(ldns_pkt_question(packet)),
            answer: texts(ldns_pkt_answer(packet)), authority: texts(ldns_pkt_authority(packet)),
            additional: texts(ldns_pkt_additional(packet)),
            edns: hasEDNS ? EDNSInfo(payloadSize: Int(ldns_pkt_edns_udp_size(packet)), version: Int(ldns_pkt_edns_version(packet)),
                                      dnssecOK: ldns_pkt_edns_do(packet) != 0) : nil)
    }

    /// One space between fields, owner and RDATA names lower-cased (names compare case-insensitively).
    static func normalise(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\t" || $0 == " " || $0 == "\n" })
            .joined(separator: " ").lowercased()
    }
}
