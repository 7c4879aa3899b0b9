import DomainNames
import DNSZone

/// Authoritative resolution over a snapshot's nodes (RFC 1034 4.3.2, RFC 4592 wildcards),
/// shaped like NSD with `minimal-responses: yes`: no NS in positive answers, glue only for
/// referrals and NS answers, ANY answered with one RRset (RFC 8482).
struct Resolver {
    let nodes: [NodeIndex.Node]
    let table: NameTable
    /// RRsets that differ from the ones `index` was built with (the snapshot's overlay).
    let changed: [Int32: [ResourceRecordSet]]
    let zones: [ServedZone]
    /// Told every node whose RRsets a plan read, so a change there can find the answers it affects.
    var onRead: ((Int) -> Void)? = nil

    /// CNAME chains are followed this far within the zone.
    static let maxChain = 8

    private func rrsets(_ node: Int) -> [ResourceRecordSet] {
        onRead?(node)
        return changed[Int32(node)] ?? nodes[node].rrsets
    }

    /// The plan for a name that is not a node (or a type not prepared).
    func plan(for qname: DNSName, qtype: UInt16) -> AnswerPlan {
        guard let (node, exact) = closestNode(qname) else {
            var refused = AnswerPlan()
            refused.rcode = RCode.refused
            refused.authoritative = false
            return refused
        }
        return exact ? plan(exactNode: node, qtype: qtype) : plan(encloser: node, qtype: qtype)
    }

    /// The plan for a question naming node `node` exactly.
    func plan(exactNode node: Int, qtype: UInt16) -> AnswerPlan {
        let cut = nodes[node].cut
        if cut >= 0 && !(cut == Int32(node) && qtype == RRType.ds) {
            return referral(cut: Int(cut))
        }
        var plan = AnswerPlan()
        answer(at: node, owner: .question, qtype: qtype, into: &plan, depth: 0)
        return plan
    }

    /// The plan for a name below node `node` that does not exist: referral, wildcard or NXDOMAIN.
    private func plan(encloser node: Int, qtype: UInt16) -> AnswerPlan {
        let info = nodes[node]
        if info.cut >= 0 { return referral(cut: Int(info.cut)) }
        var plan = AnswerPlan()
        if info.wildcard >= 0 {
            answer(at: Int(info.wildcard), owner: .question, qtype: qtype, into: &plan, depth: 0)
        } else {
            plan.rcode = RCode.nxDomain
            addNegative(zone: info.zone, into: &plan)
        }
        return plan
    }

    /// The deepest existing node at or above `name` within a served zone, and whether it is `name`.
    func closestNode(_ name: DNSName) -> (Int, Bool)? {
        var candidate: DNSName? = name
        var exact = true
        while let current = candidate {
            if let found = table.find(current) { return (found, exact) }
            exact = false
            candidate = current.parent
        }
        return nil
    }

    private func answer(at node: Int, owner: Owner, qtype: UInt16, into plan: inout AnswerPlan, depth: Int) {
        let zone = nodes[node].zone
        let sets = rrsets(node)
        if qtype == RRType.any {
            if let first = sets.first {
                plan.answer.append(PlacedRRset(owner: owner, rrset: first))
            } else {
                addNegative(zone: zone, into: &plan)
            }
            return
        }
        if let rrset = sets.first(where: { $0.type == qtype }) {
            plan.answer.append(PlacedRRset(owner: owner, rrset: rrset))
            if qtype == RRType.ns { addAddresses(of: rrset, zone: zone, into: &plan) }
            return
        }
        guard let cname = sets.first(where: { $0.type == RRType.cname }) else {
            addNegative(zone: zone, into: &plan)
            return
        }
        plan.answer.append(PlacedRRset(owner: owner, rrset: cname))
        guard depth < Self.maxChain, let targetWire = cname.rdatas.first, let target = DNSName(wire: targetWire),
              target.isWithin(zones[zone].origin),
              let (targetNode, exact) = closestNode(target), nodes[targetNode].zone == zone
        else { return }
        onRead?(targetNode)
        if nodes[targetNode].cut >= 0 {
            // The target is delegated away: the referral follows the CNAME, AA stays (as NSD does).
            let referral = referral(cut: Int(nodes[targetNode].cut))
            plan.authority += referral.authority
            plan.additional += referral.additional
        } else if exact {
            answer(at: targetNode, owner: .name(target), qtype: qtype, into: &plan, depth: depth + 1)
        } else if nodes[targetNode].wildcard >= 0 {
            answer(at: Int(nodes[targetNode].wildcard), owner: .name(target), qtype: qtype, into: &plan, depth: depth + 1)
        } else {
            plan.rcode = RCode.nxDomain
            addNegative(zone: zone, into: &plan)
        }
    }

    private func referral(cut: Int) -> AnswerPlan {
        var plan = AnswerPlan()
        plan.authoritative = false
        guard let ns = rrsets(cut).first(where: { $0.type == RRType.ns }) else { return plan }
        plan.authority.append(PlacedRRset(owner: .name(nodes[cut].name), rrset: ns))
        addAddresses(of: ns, zone: nodes[cut].zone, into: &plan)
        return plan
    }

    /// The SOA of `zone` in the authority section with the negative TTL (RFC 2308).
    private func addNegative(zone: Int, into plan: inout AnswerPlan) {
        plan.authority.append(Self.negative(zones[zone]))
    }

    /// A zone's SOA as a negative answer carries it (RFC 2308).
    static func negative(_ zone: ServedZone) -> PlacedRRset {
        var soa = zone.soa
        soa.ttl = zone.negativeTTL
        return PlacedRRset(owner: .name(zone.origin), rrset: soa)
    }

    /// A and AAAA of the NS targets that are in the zone (glue included).
    private func addAddresses(of ns: ResourceRecordSet, zone: Int, into plan: inout AnswerPlan) {
        for rdata in ns.rdatas {
            guard let target = DNSName(wire: rdata), target.isWithin(zones[zone].origin),
                  let found = table.find(target), nodes[found].zone == zone else { continue }
            let sets = rrsets(found)
            for type in [RRType.a, RRType.aaaa] {
                if let rrset = sets.first(where: { $0.type == type }),
                   !plan.additional.contains(where: { $0.owner == .name(target) && $0.rrset.type == type }) {
                    plan.additional.append(PlacedRRset(owner: .name(target), rrset: rrset))
                }
            }
        }
    }
}
