import DomainNames
import DNSZone

/// Open-addressing hash table from lower-cased wire names to node indexes. Lookups hash and
/// compare the query's bytes in place, lower-casing as they go: no allocation per query.
struct NameTable: Sendable {
    private let slots: [Int32]
    private let mask: Int

    init(names: [DNSName]) {
        var capacity = 16
        while capacity < names.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        for (index, name) in names.enumerated() {
            var slot = name.wire.withUnsafeBytes { Self.hash($0) } & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(index)
        }
        self.slots = slots
        mask = capacity - 1
    }

    /// The index of the name whose wire form equals `bytes` case-insensitively.
    func find(_ bytes: UnsafeRawBufferPointer, in names: [DNSName]) -> Int? {
        var slot = Self.hash(bytes) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if Self.equal(names[index].wire, bytes) { return index }
            slot = (slot + 1) & mask
        }
    }

    func find(_ name: DNSName, in names: [DNSName]) -> Int? {
        name.wire.withUnsafeBytes { find($0, in: names) }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte &- 65 < 26 ? byte | 0x20 : byte)) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    @inline(__always)
    static func equal(_ lower: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard lower.count == bytes.count else { return false }
        return lower.withUnsafeBufferPointer { stored in
            for index in 0..<stored.count {
                let byte = bytes[index]
                if stored[index] != (byte &- 65 < 26 ? byte | 0x20 : byte) { return false }
            }
            return true
        }
    }
}
