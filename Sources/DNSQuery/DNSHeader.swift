/// The 12-byte DNS message header (RFC 1035 §4.1.1) and the OPT record (RFC 6891), each written
/// in one place for every message Lifeboat sends: prepared and general answers, error answers,
/// zone transfers and NOTIFY.
public enum DNSHeader {
    /// Writes a header at `out` (12 bytes of room): `response` sets QR; `counts` are QD, AN, NS and AR.
    @inline(__always)
    public static func write(
        into out: UnsafeMutableRawPointer, id: UInt16, response: Bool = true, opcode: UInt8, aa: Bool, tc: Bool, rd: Bool, cd: Bool,
        rcode: UInt8, counts: (UInt16, UInt16, UInt16, UInt16)
    ) {
        store16(out, 0, id)
        out.storeBytes(of: (response ? 0x80 : 0) | (opcode << 3) | (aa ? 0x04 : 0) | (tc ? 0x02 : 0) | (rd ? 0x01 : 0),
                       toByteOffset: 2, as: UInt8.self)
        out.storeBytes(of: (cd ? 0x10 : 0) | (rcode & 0x0F), toByteOffset: 3, as: UInt8.self)
        store16(out, 4, counts.0)
        store16(out, 6, counts.1)
        store16(out, 8, counts.2)
        store16(out, 10, counts.3)
    }

    /// Appends a header to `out`.
    @inline(__always)
    public static func write(
        _ out: inout [UInt8], id: UInt16, response: Bool = true, opcode: UInt8, aa: Bool, tc: Bool, rd: Bool, cd: Bool,
        rcode: UInt8, counts: (UInt16, UInt16, UInt16, UInt16)
    ) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 12))
        out.withUnsafeMutableBytes {
            write(into: $0.baseAddress! + start, id: id, response: response, opcode: opcode, aa: aa, tc: tc, rd: rd, cd: cd,
                  rcode: rcode, counts: counts)
        }
    }

    /// The OPT record of an answer to a query that had one, at `out` (11 bytes of room): root
    /// owner, payload `payload`, the extended rcode's high bits, version 0, DO echoed.
    @inline(__always)
    public static func writeOPT(into out: UnsafeMutableRawPointer, payload: UInt16, extendedRCode: UInt8 = 0, dnssecOK: Bool) {
        out.storeBytes(of: 0, toByteOffset: 0, as: UInt8.self)
        store16(out, 1, 41)
        store16(out, 3, payload)
        out.storeBytes(of: extendedRCode, toByteOffset: 5, as: UInt8.self)
        out.storeBytes(of: 0, toByteOffset: 6, as: UInt8.self)
        store16(out, 7, dnssecOK ? 0x8000 : 0)
        store16(out, 9, 0)
    }

    /// Stores `value` big-endian at `offset`.
    @inline(__always)
    static func store16(_ out: UnsafeMutableRawPointer, _ offset: Int, _ value: UInt16) {
        out.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt16.self)
    }
}
