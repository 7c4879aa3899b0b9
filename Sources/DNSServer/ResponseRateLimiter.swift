import LifeboatConfig

#if canImport(Glibc)
import Glibc
#endif

/// Response rate limiting over UDP, as NSD and Knot ship it: per client prefix (an IPv4 /24, an
/// IPv6 /56), at most `responsesPerSecond` answers in each second; beyond that every `slip`-th
/// answer is sent truncated (TC=1: a real resolver retries over TCP, a spoofed victim gets a
/// small packet) and the others are dropped. One table per UDP worker thread, no lock (NSD
/// keeps one per server process the same way); a slot is reused when another prefix hashes to it.
struct ResponseRateLimiter {
    enum Verdict {
        case send, slip, drop
    }

    private let settings: RRLSettings
    private let exempt4: [(value: UInt32, mask: UInt32)]
    private let exempt6: [(high: UInt64, low: UInt64, maskHigh: UInt64, maskLow: UInt64)]
    private let mask4: UInt32
    private let mask6: UInt64
    private static let slots = 1 << 16
    private var keys: [UInt64]
    private var seconds: [UInt32]
    private var counts: [UInt32]
    private var limited: [UInt32]

    init(_ settings: RRLSettings) {
        self.settings = settings
        mask4 = settings.ipv4Prefix == 0 ? 0 : ~UInt32(0) << (32 - UInt32(min(settings.ipv4Prefix, 32)))
        let bits6 = min(settings.ipv6Prefix, 64)  // a client's /64 at most: beyond it addresses are free to pick
        mask6 = bits6 == 0 ? 0 : ~UInt64(0) << (64 - UInt64(bits6))
        exempt4 = settings.exempt.filter { !$0.network.isIPv6 }.map { network in
            let mask: UInt32 = network.prefixLength == 0 ? 0 : ~UInt32(0) << (32 - UInt32(network.prefixLength))
            return (Self.word(network.network.bytes, 0, 4) & mask, mask)
        }
        exempt6 = settings.exempt.filter { $0.network.isIPv6 }.map { network in
            let high = min(network.prefixLength, 64), low = max(network.prefixLength - 64, 0)
            let maskHigh: UInt64 = high == 0 ? 0 : ~UInt64(0) << (64 - UInt64(high))
            let maskLow: UInt64 = low == 0 ? 0 : ~UInt64(0) << (64 - UInt64(low))
            let bytes = network.network.bytes
            return (Self.word64(bytes, 0) & maskHigh, Self.word64(bytes, 8) & maskLow, maskHigh, maskLow)
        }
        let size = settings.responsesPerSecond > 0 ? Self.slots : 0
        keys = [UInt64](repeating: UInt64.max, count: size)
        seconds = [UInt32](repeating: 0, count: size)
        counts = [UInt32](repeating: 0, count: size)
        limited = [UInt32](repeating: 0, count: size)
    }

    var enabled: Bool { settings.responsesPerSecond > 0 }

    /// Whether the answer to `peer` goes out, slipped or not at all, in second `now`.
    @inline(__always)
    mutating func verdict(for peer: UnsafeRawPointer, now: UInt32) -> Verdict {
        guard let key = key(peer) else { return .send }
        var hash = key &* 0x9E37_79B9_7F4A_7C15
        hash ^= hash >> 29
        let slot = Int(truncatingIfNeeded: hash) & (Self.slots - 1)
        if keys[slot] != key || seconds[slot] != now {
            keys[slot] = key
            seconds[slot] = now
            counts[slot] = 0
        }
        counts[slot] &+= 1
        guard counts[slot] > UInt32(settings.responsesPerSecond) else { return .send }
        limited[slot] &+= 1
        return settings.slip > 0 && limited[slot] % UInt32(settings.slip) == 0 ? .slip : .drop
    }

    /// The limited prefix of a sockaddr_in/sockaddr_in6, or nil when exempt.
    @inline(__always)
    private func key(_ peer: UnsafeRawPointer) -> UInt64? {
        let family = peer.load(as: sa_family_t.self)
        if family == sa_family_t(AF_INET) {
            let address = UInt32(bigEndian: peer.load(fromByteOffset: 4, as: UInt32.self))  // sin_addr
            for entry in exempt4 where address & entry.mask == entry.value { return nil }
            return UInt64(address & mask4) | 1 << 32
        }
        let high = UInt64(bigEndian: peer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))  // sin6_addr
        let low = UInt64(bigEndian: peer.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        for entry in exempt6 where high & entry.maskHigh == entry.high && low & entry.maskLow == entry.low { return nil }
        return high & mask6
    }

    private static func word(_ bytes: [UInt8], _ start: Int, _ count: Int) -> UInt32 {
        bytes[start..<start + count].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func word64(_ bytes: [UInt8], _ start: Int) -> UInt64 {
        bytes[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Rewrites the response of `length` bytes at `answer` into its truncated form: the header
    /// with TC set and the question alone. Returns the new length, or nil to drop it instead.
    static func slipped(_ answer: UnsafeMutableRawPointer, length: Int) -> Int? {
        var offset = 12
        while offset < length {
            let label = Int(answer.load(fromByteOffset: offset, as: UInt8.self))
            if label == 0 { break }
            guard label <= 63 else { return nil }
            offset += 1 + label
        }
        let end = offset + 5
        guard end <= length, answer.load(fromByteOffset: 5, as: UInt8.self) == 1 else { return nil }
        answer.storeBytes(of: answer.load(fromByteOffset: 2, as: UInt8.self) | 0x02, toByteOffset: 2, as: UInt8.self)  // TC
        for index in 6..<12 { answer.storeBytes(of: 0, toByteOffset: index, as: UInt8.self) }
        return end
    }
}
