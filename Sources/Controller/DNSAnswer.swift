import DomainNames

/// The part of a DNS answer the propagation watch reads: the rcode, and the answer section's A
/// and AAAA values and SOA serial. A small reader of RFC 1035's wire format (compressed names
/// are skipped, not followed: only record data is read).
struct DNSAnswer: Equatable {
    var id: UInt16
    var rcode: UInt8
    /// A (4 bytes) and AAAA (16 bytes) values, in answer order.
    var addresses: [[UInt8]] = []
    /// The lowest TTL of those records.
    var ttl: UInt32?
    /// The SOA record's serial, when the answer holds one.
    var serial: UInt32?

    /// A query for `name`'s `type` (1 A, 28 AAAA, 6 SOA), with recursion desired.
    static func query(id: UInt16, name: DNSName, type: UInt16) -> [UInt8] {
        [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + name.wire + [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
    }

    /// Reads `bytes`; nil when it is not a well-formed response.
    static func parse(_ bytes: [UInt8]) -> DNSAnswer? {
        guard bytes.count >= 12, bytes[2] & 0x80 != 0 else { return nil }
        var answer = DNSAnswer(id: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), rcode: bytes[3] & 0x0F)
        let questions = Int(bytes[4]) << 8 | Int(bytes[5])
        let answers = Int(bytes[6]) << 8 | Int(bytes[7])
        var offset = 12
        for _ in 0..<questions {
            guard let end = skipName(bytes, from: offset), end + 4 <= bytes.count else { return nil }
            offset = end + 4
        }
        for _ in 0..<answers {
            guard let end = skipName(bytes, from: offset), end + 10 <= bytes.count else { return nil }
            let type = UInt16(bytes[end]) << 8 | UInt16(bytes[end + 1])
            let ttl = bytes[end + 4..<end + 8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let length = Int(bytes[end + 8]) << 8 | Int(bytes[end + 9])
            let data = end + 10
            guard data + length <= bytes.count else { return nil }
            switch type {
            case 1 where length == 4, 28 where length == 16:
                answer.addresses.append(Array(bytes[data..<data + length]))
                answer.ttl = min(answer.ttl ?? ttl, ttl)
            case 6:
                // MNAME, RNAME, then SERIAL.
                guard let mname = skipName(bytes, from: data), let rname = skipName(bytes, from: mname), rname + 4 <= data + length else { return nil }
                answer.serial = bytes[rname..<rname + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            default:
                break
            }
            offset = data + length
        }
        return answer
    }

    /// The offset after the name at `start` (labels, ending in a zero byte or a pointer).
    private static func skipName(_ bytes: [UInt8], from start: Int) -> Int? {
        var offset = start
        while offset < bytes.count {
            let length = Int(bytes[offset])
            if length == 0 { return offset + 1 }
            if length & 0xC0 == 0xC0 { return offset + 2 <= bytes.count ? offset + 2 : nil }
            guard length & 0xC0 == 0 else { return nil }
            offset += 1 + length
        }
        return nil
    }
}
