import DomainNames
import DNSZone

/// The names of the served zones as a tree of nodes, with answers prepared for each node: the
/// big, slow-to-build part of a snapshot. A failover's snapshot shares it with the one before
/// and only re-prepares the nodes it changes (`ServingSnapshot.updating`).
final class NodeIndex: Sendable {
    /// One name that exists (has RRsets, or is an empty non-terminal).
    struct Node: Sendable {
        let name: DNSName
        let zone: Int
        /// The RRsets when this index was built.
        let rrsets: [ResourceRecordSet]
        /// The delegation point at or above this node (never the apex), or -1.
        var cut: Int32 = -1
        /// The `*` child of this node, or -1.
        var wildcard: Int32 = -1
    }

    /// What the hot path needs of a node, in one frozen array.
    struct Info: BitwiseCopyable, Sendable {
        let zone: Int32
        let cut: Int32
        let wildcard: Int32
        /// The node's entries in `answers`.
        let start: Int32
        let end: Int32
    }

    let nodes: [Node]
    let table: NameTable
    let info: FrozenArray<Info>
    let answers: AnswerLayer
    /// For a node, the nodes whose prepared answers read its RRsets (CNAMEs to it, NS naming it).
    let readers: [Int32: [Int32]]
    /// Each zone's apex node.
    let apexes: [Int]

    /// Builds nodes, cuts and wildcards, then every node's prepared answers.
    init(zones: [ServedZone]) {
        var nodes: [Node] = []
        var indexByName: [DNSName: Int] = [:]
        // Shallower zones first, so a served child zone's apex replaces the parent's delegation.
        for (zoneIndex, zone) in zones.enumerated().sorted(by: { $0.element.origin.labelCount < $1.element.origin.labelCount }) {
            for owner in zone.ownerOrder {
                let node = Node(name: owner, zone: zoneIndex, rrsets: zone.rrsets(at: owner))
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
        self.nodes = nodes
        table = NameTable(names: nodes.map(\.name))
        apexes = zones.map { indexByName[$0.origin] ?? -1 }

        let tree = Tree(nodes: nodes, table: table)
        var builder = AnswerLayer.Builder()
        var readers: [Int32: [Int32]] = [:]
        var info: [Info] = []
        info.reserveCapacity(nodes.count)
        for index in nodes.indices {
            let start = Int32(builder.entries.count)
            for reader in tree.prepare(node: index, changed: [:], zones: zones, into: &builder) {
                readers[Int32(reader), default: []].append(Int32(index))
            }
            info.append(Info(zone: Int32(nodes[index].zone), cut: nodes[index].cut, wildcard: nodes[index].wildcard,
                             start: start, end: Int32(builder.entries.count)))
        }
        self.info = FrozenArray(info)
        answers = builder.frozen()
        self.readers = readers
    }

    /// The nodes and their names: what a resolver walks.
    struct Tree {
        let nodes: [Node]
        let table: NameTable

        /// Prepares node `index`'s answers into `builder`; returns the other nodes they read.
        func prepare(node index: Int, changed: [Int32: [ResourceRecordSet]], zones: [ServedZone],
                     into builder: inout AnswerLayer.Builder) -> Set<Int> {
            let read = ReadNodes()
            let resolver = Resolver(nodes: nodes, table: table, changed: changed, zones: zones) { read.nodes.insert($0) }
            let node = nodes[index]
            for qtype in preparedTypes(node, index: index, rrsets: changed[Int32(index)] ?? node.rrsets) {
                let plan = resolver.plan(exactNode: index, qtype: qtype == PreparedAnswer.otherTypes ? 65280 : qtype)
                builder.add(qtype: qtype, plan: plan, name: node.name, zone: zones[node.zone])
            }
            read.nodes.remove(index)
            return read.nodes
        }

        /// The query types answered from prepared bytes for a node. A node without CNAME gives one
        /// answer for every absent type (NODATA), so `otherTypes` covers those; a CNAME node's
        /// answer depends on the type at the target, so only common types are prepared.
        private func preparedTypes(_ node: Node, index: Int, rrsets: [ResourceRecordSet]) -> [UInt16] {
            if node.cut >= 0 {  // a referral, except DS at the cut itself, which the parent answers
                return node.cut == Int32(index) ? [RRType.ds, PreparedAnswer.otherTypes] : [PreparedAnswer.otherTypes]
            }
            var types = rrsets.map(\.type) + [RRType.any]
            if rrsets.contains(where: { $0.type == RRType.cname }) {
                types += [RRType.a, RRType.aaaa, RRType.txt, RRType.mx].filter { !types.contains($0) }
            } else {
                types.append(PreparedAnswer.otherTypes)
            }
            return types
        }
    }

    /// Collects the nodes a resolver read while planning.
    private final class ReadNodes {
        var nodes: Set<Int> = []
    }
}
