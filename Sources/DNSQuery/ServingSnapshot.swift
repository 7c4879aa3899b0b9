import DomainNames
public import DNSZone

/// Everything served at one moment, immutable: the zones, a node table over all their names,
/// and answers prepared for each node. Swapped whole when anything changes, so a reader sees
/// the old or the new, never a mix.
public final class ServingSnapshot: Sendable {
    /// The served zones.
    public let zones: [ZoneContents]
    let nodes: [Node]
    let names: [DNSName]
    let table: NameTable
    let prepared: [PreparedAnswer]
    let pool: [UInt8]

    /// One name that exists (has RRsets, or is an empty non-terminal).
    struct Node: Sendable {
        let name: DNSName
        let zone: Int
        let rrsets: [ResourceRecordSet]
        /// The delegation point at or above this node (never the apex), or -1.
        var cut: Int32 = -1
        /// The `*` child of this node, or -1.
        var wildcard: Int32 = -1
        var preparedRange: Range<Int32> = 0..<0
    }

    /// Builds the snapshot: nodes, cuts, wildcards, then the prepared answers.
    public init(zones: [ZoneContents]) {
        self.zones = zones
        var nodes: [Node] = []
        var indexByName: [DNSName: Int] = [:]
        // Shallower zones first, so a served child zone's apex replaces the parent's delegation.
        for (zoneIndex, zone) in zones.enumerated().sorted(by: { $0.element.origin.labelCount < $1.element.origin.labelCount }) {
            for owner in zone.ownerOrder {
                let node = Node(name: owner, zone: zoneIndex, rrsets: zone.nodes[owner] ?? [])
                if let existing = indexByName[owner] { nodes[existing] = node } else {
                    indexByName[owner] = nodes.count
                    nodes.append(node)
                }
                var ancestor = owner.parent
                while let name = ancestor, name.isWithin(zone.origin), indexByName[name] == nil {
                    indexByName[name] = nodes.count
                    nodes.append(Node(name: name, zone: zoneIndex, rrsets: []))
                    ancestor = name.parent
                }
            }
        }
        // Cuts and wildcards, parents before children.
        for index in nodes.indices.sorted(by: { nodes[$0].name.labelCount < nodes[$1].name.labelCount }) {
            let node = nodes[index]
            let isApex = node.name == zones[node.zone].origin
            guard !isApex, let parentName = node.name.parent, let parent = indexByName[parentName] else { continue }
            if nodes[parent].cut >= 0 && nodes[parent].zone == node.zone {
                nodes[index].cut = nodes[parent].cut
            } else if node.rrsets.contains(where: { $0.type == RRType.ns }) {
                nodes[index].cut = Int32(index)
            }
            if node.name.isWildcard { nodes[parent].wildcard = Int32(index) }
        }
        names = nodes.map(\.name)
        table = NameTable(names: names)
        var prepared: [PreparedAnswer] = []
        var pool: [UInt8] = []
        var finished = nodes
        let resolver = Resolver(nodes: nodes, zones: zones, names: names, table: table)
        for index in nodes.indices {
            let start = Int32(prepared.count)
            for qtype in Self.preparedTypes(for: nodes[index], index: index) {
                let plan = resolver.plan(exactNode: index, qtype: qtype == PreparedAnswer.otherTypes ? 65280 : qtype)
                prepared.append(PreparedAnswer(qtype: qtype, plan: plan, name: nodes[index].name, pool: &pool))
            }
            finished[index].preparedRange = start..<Int32(prepared.count)
        }
        self.prepared = prepared
        self.pool = pool
        self.nodes = finished
    }

    /// The query types answered from prepared bytes for a node. A node without CNAME gives one
    /// answer for every absent type (NODATA), so `otherTypes` covers those; a CNAME node's
    /// answer depends on the type at the target, so only common types are prepared.
    private static func preparedTypes(for node: Node, index: Int) -> [UInt16] {
        if node.cut >= 0 {  // a referral, except DS at the cut itself, which the parent answers
            return node.cut == Int32(index) ? [RRType.ds, PreparedAnswer.otherTypes] : [PreparedAnswer.otherTypes]
        }
        var types = node.rrsets.map(\.type) + [RRType.any]
        if node.rrsets.contains(where: { $0.type == RRType.cname }) {
            types += [RRType.a, RRType.aaaa, RRType.txt, RRType.mx].filter { !types.contains($0) }
        } else {
            types.append(PreparedAnswer.otherTypes)
        }
        return types
    }

    var resolver: Resolver { Resolver(nodes: nodes, zones: zones, names: names, table: table) }
}

/// A response's sections encoded once, for a question naming the node exactly.
struct PreparedAnswer: Sendable {
    /// Stands for every type the node has no special answer for.
    static let otherTypes: UInt16 = 0

    let qtype: UInt16
    let authoritative: Bool
    let rcode: UInt8
    let answerCount: UInt16
    let authorityCount: UInt16
    let additionalCount: UInt16
    let offset: Int32
    let length: Int32

    init(qtype: UInt16, plan: AnswerPlan, name: DNSName, pool: inout [UInt8]) {
        var encoder = ResponseEncoder(prefix: [UInt8](repeating: 0, count: 12) + name.wire + [0, 0, 0, 1], questionName: name, limit: 65535)
        encoder.encode(plan, reserve: 0)
        let body = encoder.bytes[(12 + name.wire.count + 4)...]
        self.qtype = qtype
        authoritative = plan.authoritative
        rcode = plan.rcode
        answerCount = UInt16(encoder.counts.answer)
        authorityCount = UInt16(encoder.counts.authority)
        additionalCount = UInt16(encoder.counts.additional)
        offset = Int32(pool.count)
        length = Int32(body.count)
        pool.append(contentsOf: body)
    }
}
