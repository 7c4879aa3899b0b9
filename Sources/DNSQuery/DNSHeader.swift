/// The 12-byte DNS message header (RFC 1035 §4.1.1), written in one place for every message
/// Lifeboat sends: answers, error answers, zone transfers and NOTIFY.
public enum DNSHeader {
    /// Appends a header: `response` sets QR; `counts` are QD, AN, NS and AR.
    @inline(__always)
    public static func write(
        _ out: inout [UInt8], id: UInt16, response: Bool = true, opcode: UInt8, aa: Bool, tc: Bool, rd: Bool, cd: Bool,
        rcode: UInt8, counts: (UInt16, UInt16, UInt16, UInt16)
    ) {
        out.append(UInt8(id >> 8))
        out.append(UInt8(id & 0xFF))
        out.append((response ? 0x80 : 0) | (opcode << 3) | (aa ? 0x04 : 0) | (tc ? 0x02 : 0) | (rd ? 0x01 : 0))
        out.append((cd ? 0x10 : 0) | (rcode & 0x0F))
        for count in [counts.0, counts.1, counts.2, counts.3] {
            out.append(UInt8(count >> 8))
            out.append(UInt8(count & 0xFF))
        }
    }
}
