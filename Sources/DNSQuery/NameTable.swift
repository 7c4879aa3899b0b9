import DomainNames

/// Open-addressing hash table from lower-cased wire names to node indexes. The names are kept
/// back to back in one frozen pool; lookups hash and compare the query's bytes in place,
/// lower-casing as they go: no allocation and no reference counting per query.
struct NameTable: Sendable {
    private let slots: FrozenArray<Int32>
    private let pool: FrozenArray<UInt8>
    /// Where each node's name starts in `pool`; one more entry than names (the end).
    private let starts: FrozenArray<Int32>
    private let mask: Int

    init(names: [DNSName]) {
        var capacity = 16
        while capacity < names.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var pool: [UInt8] = []
        var starts: [Int32] = [0]
        for (index, name) in names.enumerated() {
            var slot = name.wire.withUnsafeBytes { Self.hash($0) } & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(index)
            pool += name.wire
            starts.append(Int32(pool.count))
        }
        self.slots = FrozenArray(slots)
        self.pool = FrozenArray(pool)
        self.starts = FrozenArray(starts)
        mask = capacity - 1
    }

    /// The pointers the hot path reads; valid while this table's snapshot lives.
    var view: View { View(slots: slots.buffer, pool: pool.buffer, starts: starts.buffer, mask: mask) }

    /// The index of the name whose wire form equals `bytes` case-insensitively.
    func find(_ bytes: UnsafeRawBufferPointer) -> Int? {
        withExtendedLifetime(self) { view.find(bytes) }
    }

    func find(_ name: DNSName) -> Int? {
        name.wire.withUnsafeBytes { find($0) }
    }

    /// The table as plain pointers.
    struct View {
        let slots: UnsafeBufferPointer<Int32>
        let pool: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int32>
        let mask: Int

        @inline(__always)
        func find(_ bytes: UnsafeRawBufferPointer) -> Int? {
            var slot = NameTable.hash(bytes) & mask
            while true {
                let index = Int(slots[slot])
                if index < 0 { return nil }
                let start = Int(starts[index])
                if Int(starts[index + 1]) - start == bytes.count && NameTable.equal(pool.baseAddress! + start, bytes) {
                    return index
                }
                slot = (slot + 1) & mask
            }
        }

        /// The length of node `index`'s wire name.
        @inline(__always)
        func nameLength(_ index: Int) -> Int { Int(starts[index + 1] - starts[index]) }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte &- 65 < 26 ? byte | 0x20 : byte)) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    /// Whether the lower-case name at `stored` equals `bytes` ignoring ASCII case.
    @inline(__always)
    static func equal(_ stored: UnsafePointer<UInt8>, _ bytes: UnsafeRawBufferPointer) -> Bool {
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if stored[index] != (byte &- 65 < 26 ? byte | 0x20 : byte) { return false }
        }
        return true
    }
}
