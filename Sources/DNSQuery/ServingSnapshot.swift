public import DomainNames
public import DNSZone

/// Everything served at one moment, immutable: the zones, their node index with prepared
/// answers, and an overlay for the nodes a failover changed since the index was built. Swapped
/// whole when anything changes, so a reader sees the old or the new, never a mix.
public final class ServingSnapshot: Sendable {
    /// The served zones.
    public let zones: [ServedZone]
    let base: NodeIndex
    /// RRsets of the nodes changed since `base` was built.
    let changed: [Int32: [ResourceRecordSet]]
    /// The changed nodes' answers, then each zone's negative answer.
    let top: AnswerLayer
    /// Open addressing over the changed nodes: (node, start, end) triples into `top`, node -1 empty.
    private let overlay: FrozenArray<Int32>
    private let overlayMask: Int
    /// Per zone: its negative answer's entry in `top` and its origin's wire length.
    private let negatives: FrozenArray<Int32>

    /// Beyond this many changed nodes an update rebuilds the index instead.
    static let maximumOverlay = 4096

    /// Builds the snapshot from zone files as they are.
    public convenience init(zones: [ZoneContents]) {
        self.init(zones: zones.map(ServedZone.init(file:)))
    }

    /// Builds the snapshot: the node index with every prepared answer.
    public convenience init(zones: [ServedZone]) {
        self.init(zones: zones, base: NodeIndex(zones: zones), changed: [:])
    }

    private init(zones: [ServedZone], base: NodeIndex, changed: [Int32: [ResourceRecordSet]]) {
        self.zones = zones
        self.base = base
        self.changed = changed
        let tree = NodeIndex.Tree(nodes: base.nodes, table: base.table)
        var builder = AnswerLayer.Builder()
        var capacity = 4
        while capacity < changed.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity * 3)
        for node in changed.keys.sorted() {
            let start = Int32(builder.entries.count)
            _ = tree.prepare(node: Int(node), changed: changed, zones: zones, into: &builder)
            var slot = Int(node) & (capacity - 1)
            while slots[slot * 3] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot * 3] = node
            slots[slot * 3 + 1] = start
            slots[slot * 3 + 2] = Int32(builder.entries.count)
        }
        var negatives: [Int32] = []
        for zone in zones {
            negatives += [Int32(builder.entries.count), Int32(zone.origin.wire.count)]
            var plan = AnswerPlan()
            plan.authority = [Resolver.negative(zone)]
            builder.append(qtype: PreparedAnswer.otherTypes, plan: plan, name: zone.origin)
        }
        top = builder.frozen()
        overlay = FrozenArray(slots)
        overlayMask = capacity - 1
        self.negatives = FrozenArray(negatives)
    }

    /// The snapshot after a change of `owners`' RRsets and of serials, given as the new `zones`
    /// (the same origins in the same order). It shares the node index and re-prepares only the
    /// owners, the apexes whose SOA changed and the nodes reading them — a few nodes, whatever
    /// the zones' size. Anything the index cannot take (a new name, another zone) rebuilds.
    public func updating(zones next: [ServedZone], owners: [DNSName]) -> ServingSnapshot {
        guard next.map(\.origin) == zones.map(\.origin) else { return ServingSnapshot(zones: next) }
        var changed = self.changed
        var pending: [Int] = []
        for owner in owners {
            guard let node = base.table.find(owner), base.nodes[node].name == owner else { return ServingSnapshot(zones: next) }
            pending.append(node)
        }
        for (zone, served) in next.enumerated() where served.soa != zones[zone].soa && base.apexes[zone] >= 0 {
            pending.append(base.apexes[zone])
        }
        var affected: Set<Int> = []
        while let node = pending.popLast() {
            guard affected.insert(node).inserted else { continue }
            pending += (base.readers[Int32(node)] ?? []).map(Int.init)
        }
        for node in affected {
            let zone = next[base.nodes[node].zone]
            let rrsets = zone.rrsets(at: base.nodes[node].name)
            // Only addresses and serials change in place: anything else (a delegation, a CNAME's
            // target) may change the tree or who reads whom, so it rebuilds.
            if Self.structural(rrsets) != Self.structural(base.nodes[node].rrsets) { return ServingSnapshot(zones: next) }
            changed[Int32(node)] = rrsets
        }
        if changed.count > Self.maximumOverlay { return ServingSnapshot(zones: next) }
        return ServingSnapshot(zones: next, base: base, changed: changed)
    }

    /// The RRsets other than addresses and the SOA.
    private static func structural(_ rrsets: [ResourceRecordSet]) -> [ResourceRecordSet] {
        rrsets.filter { ![RRType.a, RRType.aaaa, RRType.soa].contains($0.type) }
    }

    /// The pointers the hot path answers from; valid while this snapshot lives.
    var view: View {
        View(table: base.table.view, info: base.info.buffer, base: base.answers.view, top: top.view,
             overlay: overlay.buffer, overlayMask: overlayMask, hasOverlay: !changed.isEmpty, negatives: negatives.buffer)
    }

    /// A snapshot as plain pointers: no reference counting while answering.
    struct View {
        let table: NameTable.View
        let info: UnsafeBufferPointer<NodeIndex.Info>
        let base: AnswerLayer.View
        let top: AnswerLayer.View
        let overlay: UnsafeBufferPointer<Int32>
        let overlayMask: Int
        let hasOverlay: Bool
        let negatives: UnsafeBufferPointer<Int32>

        /// Node `index`'s answer for `qtype` (or its `otherTypes` answer): in which layer, which entry.
        @inline(__always)
        func answer(node index: Int, qtype: UInt16) -> (layer: AnswerLayer.View, entry: Int)? {
            if hasOverlay {
                var slot = index & overlayMask
                while true {
                    let node = Int(overlay[slot * 3])
                    if node < 0 { break }
                    if node == index {
                        return top.find(qtype, in: Int(overlay[slot * 3 + 1])..<Int(overlay[slot * 3 + 2])).map { (top, $0) }
                    }
                    slot = (slot + 1) & overlayMask
                }
            }
            let node = info[index]
            return base.find(qtype, in: Int(node.start)..<Int(node.end)).map { (base, $0) }
        }

        /// Zone `zone`'s negative answer in `top`, and its origin's wire length.
        @inline(__always)
        func negative(zone: Int) -> (entry: Int, originLength: Int) {
            (Int(negatives[zone * 2]), Int(negatives[zone * 2 + 1]))
        }
    }

    var resolver: Resolver { Resolver(nodes: base.nodes, table: base.table, changed: changed, zones: zones) }
}
