public import DomainNames

/// TSIG (RFC 8945): finding and checking a request's signature, signing responses (each message
/// of a transfer), and the unsigned error records of BADKEY and BADSIG.
public enum TSIG {
    public static let type: UInt16 = 250
    /// TSIG errors (RFC 8945 §4.3.3), sent in the record with rcode NOTAUTH.
    public static let badSig: UInt16 = 16, badKey: UInt16 = 17, badTime: UInt16 = 18
    /// The clock skew allowed in what Lifeboat signs.
    public static let fudge: UInt16 = 300

    /// A TSIG record as a message carries it.
    public struct Record: Sendable, Equatable {
        public var keyName: DNSName
        public var algorithm: DNSName
        public var timeSigned: UInt64
        public var fudge: UInt16
        public var mac: [UInt8]
        public var originalID: UInt16
        public var error: UInt16
        public var other: [UInt8]
        /// Where the record starts in its message.
        public var start: Int
    }

    /// What checking a request's signature found.
    public enum Check: Sendable, Equatable {
        /// No TSIG record.
        case unsigned
        /// Signed by `key`, and the MAC and time hold.
        case signed(TSIGKey, Record)
        /// Signed, but refused with `error` (BADKEY, BADSIG, BADTIME); `key` when it was known.
        case refused(error: UInt16, record: Record, key: TSIGKey?)
        /// A TSIG record that cannot be read, or one not last in the message: FORMERR.
        case malformed
    }

    /// The TSIG record of `packet` (the last record of its additional section), nil when it has
    /// none; `.malformed` outcomes come from `check`.
    static func record(in packet: [UInt8]) -> Record?? {
        guard packet.count >= 12 else { return .some(nil) }
        let counts = (0..<4).map { Int(packet[4 + 2 * $0]) << 8 | Int(packet[5 + 2 * $0]) }
        let total = counts[1] + counts[2] + counts[3]
        return packet.withUnsafeBytes { raw -> Record?? in
            var offset = 12
            for _ in 0..<counts[0] {
                guard let end = QueryParser.skipName(raw, offset), end + 4 <= raw.count else { return nil }
                offset = end + 4
            }
            for index in 0..<total {
                guard let nameEnd = QueryParser.skipName(raw, offset), nameEnd + 10 <= raw.count else { return nil }
                let type = QueryParser.read16(raw, nameEnd)
                let rdlength = Int(QueryParser.read16(raw, nameEnd + 8))
                guard nameEnd + 10 + rdlength <= raw.count else { return nil }
                if type == Self.type {
                    guard index == total - 1, index >= counts[1] + counts[2] else { return nil }  // last, in additional
                    return parse(packet, start: offset, nameEnd: nameEnd, rdlength: rdlength).map { .some($0) } ?? nil
                }
                offset = nameEnd + 10 + rdlength
            }
            return .some(nil)
        }
    }

    private static func parse(_ packet: [UInt8], start: Int, nameEnd: Int, rdlength: Int) -> Record? {
        guard let keyName = DNSName(wire: Array(packet[start..<nameEnd])) else { return nil }  // uncompressed only
        var offset = nameEnd + 10
        let end = offset + rdlength
        guard let algorithmEnd = plainNameEnd(packet, offset, limit: end), let algorithm = DNSName(wire: Array(packet[offset..<algorithmEnd]))
        else { return nil }
        offset = algorithmEnd
        func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard offset + count <= end else { return nil }
            defer { offset += count }
            return packet[offset..<offset + count]
        }
        func number(_ count: Int) -> UInt64? { take(count).map { $0.reduce(0) { $0 << 8 | UInt64($1) } } }
        guard let time = number(6), let fudge = number(2), let macSize = number(2), let mac = take(Int(macSize)),
              let originalID = number(2), let error = number(2), let otherSize = number(2), let other = take(Int(otherSize)),
              offset == end else { return nil }
        return Record(keyName: keyName, algorithm: algorithm, timeSigned: time, fudge: UInt16(fudge), mac: Array(mac),
                      originalID: UInt16(originalID), error: UInt16(error), other: Array(other), start: start)
    }

    private static func plainNameEnd(_ packet: [UInt8], _ start: Int, limit: Int) -> Int? {
        var offset = start
        while offset < limit {
            let length = Int(packet[offset])
            if length == 0 { return offset + 1 }
            guard length <= 63 else { return nil }
            offset += 1 + length
        }
        return nil
    }

    /// Checks the signature of `packet` against `keys` at `now` (seconds since 1970), in the
    /// RFC's order: the key (BADKEY), the MAC (BADSIG), the time (BADTIME).
    public static func check(_ packet: [UInt8], keys: [TSIGKey], now: UInt64) -> Check {
        guard let found = record(in: packet) else { return .malformed }
        guard let record = found else { return .unsigned }
        guard let key = keys.first(where: { $0.name == record.keyName }), key.algorithm.name == record.algorithm else {
            return .refused(error: badKey, record: record, key: nil)
        }
        var message = Array(packet[..<record.start])
        unsign(&message, originalID: record.originalID)
        let expected = key.mac(message + variables(record, timersOnly: false))
        guard record.mac.count == key.algorithm.macSize, TSIGKey.same(expected, record.mac) else {
            return .refused(error: badSig, record: record, key: nil)
        }
        let skew = now > record.timeSigned ? now - record.timeSigned : record.timeSigned - now
        guard skew <= UInt64(record.fudge) else { return .refused(error: badTime, record: record, key: key) }
        return .signed(key, record)
    }

    /// A message as it was before its TSIG record was added: ARCOUNT one less, the original ID.
    private static func unsign(_ message: inout [UInt8], originalID: UInt16) {
        addToARCount(&message, -1)
        message[0] = UInt8(originalID >> 8)
        message[1] = UInt8(originalID & 0xFF)
    }

    /// The TSIG variables of RFC 8945 §4.3.3 (or only the timers, for a transfer's later messages).
    private static func variables(_ record: Record, timersOnly: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        if !timersOnly { bytes += record.keyName.wire + [0, 255, 0, 0, 0, 0] + record.algorithm.wire }
        bytes += time48(record.timeSigned)
        bytes += be16(record.fudge)
        if !timersOnly { bytes += be16(record.error) + be16(UInt16(record.other.count)) + record.other }
        return bytes
    }

    /// Signs `message` with `key`, appending the TSIG record; returns its MAC. `prior` is the
    /// request's MAC for a response's first message (or nil for a request), or the previous
    /// message's MAC for a transfer's later ones (`timersOnly`).
    @discardableResult
    public static func sign(_ message: inout [UInt8], key: TSIGKey, time: UInt64, prior: [UInt8]?, timersOnly: Bool = false,
                            error: UInt16 = 0, other: [UInt8] = [], timeSigned: UInt64? = nil) -> [UInt8] {
        var record = Record(keyName: key.name, algorithm: key.algorithm.name, timeSigned: timeSigned ?? time, fudge: fudge, mac: [],
                            originalID: UInt16(message[0]) << 8 | UInt16(message[1]), error: error, other: other, start: message.count)
        let digest = (prior.map { be16(UInt16($0.count)) + $0 } ?? []) + message + variables(record, timersOnly: timersOnly)
        record.mac = key.mac(digest)
        append(record, to: &message)
        return record.mac
    }

    /// Appends an unsigned TSIG record carrying `error` (BADKEY, BADSIG: RFC 8945 §5.3.2).
    public static func appendError(_ error: UInt16, answering request: Record, to message: inout [UInt8]) {
        var record = request
        record.mac = []
        record.error = error
        record.other = []
        record.originalID = UInt16(message[0]) << 8 | UInt16(message[1])
        append(record, to: &message)
    }

    private static func append(_ record: Record, to message: inout [UInt8]) {
        let rdata = record.algorithm.wire + time48(record.timeSigned)
            + be16(record.fudge) + be16(UInt16(record.mac.count)) + record.mac + be16(record.originalID) + be16(record.error)
            + be16(UInt16(record.other.count)) + record.other
        message += record.keyName.wire + be16(type) + [0, 255, 0, 0, 0, 0] + be16(UInt16(rdata.count)) + rdata
        addToARCount(&message, 1)
    }

    /// Adds `delta` to a message's ARCOUNT (a TSIG record added or taken off).
    static func addToARCount(_ message: inout [UInt8], _ delta: Int) {
        let arcount = (Int(message[10]) << 8 | Int(message[11])) + delta
        message[10] = UInt8(arcount >> 8)
        message[11] = UInt8(arcount & 0xFF)
    }

    /// The six bytes of a 48-bit time (BADTIME's Other Data: the server's clock).
    public static func time48(_ seconds: UInt64) -> [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: seconds >> (40 - 8 * $0)) }
    }

    private static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}
