import DomainNames
import DNSZone

/// Authoritative resolution over a snapshot's nodes (RFC 1034 4.3.2, RFC 4592 wildcards),
/// shaped like NSD with `minimal-responses: yes`: no NS in positive answers, glue only for
/// referrals and NS answers, ANY answered with one RRset (RFC 8482).
struct Resolver {
    let nodes: [ServingSnapshot.Node]
    let zones: [ZoneContents]
    let names: [DNSName]
    let table: NameTable

    /// CNAME chains are followed this far within the zone.
    static let maxChain = 8

    /// The plan for a name that is not a node (or a type not prepared).
    func plan(for qname: DNSName, qtype: UInt16) -> AnswerPlan {
        guard let (index, exact) = closestNode(qname) else {
            var refused = AnswerPlan()
            refused.rcode = RCode.refused
            refused.authoritative = false
            return refused
        }
        return exact ? plan(exactNode: index, qtype: qtype) : plan(encloser: index, qtype: qtype)
    }

    /// The plan for a question naming node `index` exactly.
    func plan(exactNode index: Int, qtype: UInt16) -> AnswerPlan {
        let node = nodes[index]
        if node.cut >= 0 && !(node.cut == Int32(index) && qtype == RRType.ds) {
            return referral(cut: Int(node.cut))
        }
        var plan = AnswerPlan()
        answer(at: index, owner: .question, qtype: qtype, into: &plan, depth: 0)
        return plan
    }

    /// The plan for a name below node `index` that does not exist: referral, wildcard or NXDOMAIN.
    private func plan(encloser index: Int, qtype: UInt16) -> AnswerPlan {
        let node = nodes[index]
        if node.cut >= 0 { return referral(cut: Int(node.cut)) }
        var plan = AnswerPlan()
        if node.wildcard >= 0 {
            answer(at: Int(node.wildcard), owner: .question, qtype: qtype, into: &plan, depth: 0)
        } else {
            plan.rcode = RCode.nxDomain
            addNegative(zone: node.zone, into: &plan)
        }
        return plan
    }

    /// The deepest existing node at or above `name` within a served zone, and whether it is `name`.
    func closestNode(_ name: DNSName) -> (Int, Bool)? {
        var candidate: DNSName? = name
        var exact = true
        while let current = candidate {
            if let index = table.find(current, in: names) { return (index, exact) }
            exact = false
            candidate = current.parent
        }
        return nil
    }

    private func answer(at index: Int, owner: Owner, qtype: UInt16, into plan: inout AnswerPlan, depth: Int) {
        let node = nodes[index]
        if qtype == RRType.any {
            if let first = node.rrsets.first {
                plan.answer.append(PlacedRRset(owner: owner, rrset: first))
            } else {
                addNegative(zone: node.zone, into: &plan)
            }
            return
        }
        if let rrset = node.rrsets.first(where: { $0.type == qtype }) {
            plan.answer.append(PlacedRRset(owner: owner, rrset: rrset))
            if qtype == RRType.ns { addAddresses(of: rrset, zone: node.zone, into: &plan) }
            return
        }
        guard let cname = node.rrsets.first(where: { $0.type == RRType.cname }) else {
            addNegative(zone: node.zone, into: &plan)
            return
        }
        plan.answer.append(PlacedRRset(owner: owner, rrset: cname))
        guard depth < Self.maxChain, let targetWire = cname.rdatas.first, let target = DNSName(wire: targetWire),
              target.isWithin(zones[node.zone].origin),
              let (targetIndex, exact) = closestNode(target), nodes[targetIndex].zone == node.zone
        else { return }
        if nodes[targetIndex].cut >= 0 {
            // The target is delegated away: the referral follows the CNAME, AA stays (as NSD does).
            let referral = referral(cut: Int(nodes[targetIndex].cut))
            plan.authority += referral.authority
            plan.additional += referral.additional
        } else if exact {
            answer(at: targetIndex, owner: .name(target), qtype: qtype, into: &plan, depth: depth + 1)
        } else if nodes[targetIndex].wildcard >= 0 {
            answer(at: Int(nodes[targetIndex].wildcard), owner: .name(target), qtype: qtype, into: &plan, depth: depth + 1)
        } else {
            plan.rcode = RCode.nxDomain
            addNegative(zone: node.zone, into: &plan)
        }
    }

    private func referral(cut: Int) -> AnswerPlan {
        var plan = AnswerPlan()
        plan.authoritative = false
        guard let ns = nodes[cut].rrsets.first(where: { $0.type == RRType.ns }) else { return plan }
        plan.authority.append(PlacedRRset(owner: .name(nodes[cut].name), rrset: ns))
        addAddresses(of: ns, zone: nodes[cut].zone, into: &plan)
        return plan
    }

    /// The SOA of `zone` in the authority section with the negative TTL (RFC 2308).
    private func addNegative(zone: Int, into plan: inout AnswerPlan) {
        var soa = zones[zone].soa
        soa.ttl = zones[zone].negativeTTL
        plan.authority.append(PlacedRRset(owner: .name(zones[zone].origin), rrset: soa))
    }

    /// A and AAAA of the NS targets that are in the zone (glue included).
    private func addAddresses(of ns: ResourceRecordSet, zone: Int, into plan: inout AnswerPlan) {
        for rdata in ns.rdatas {
            guard let target = DNSName(wire: rdata), target.isWithin(zones[zone].origin),
                  let index = table.find(target, in: names), nodes[index].zone == zone else { continue }
            for type in [RRType.a, RRType.aaaa] {
                if let rrset = nodes[index].rrsets.first(where: { $0.type == type }),
                   !plan.additional.contains(where: { $0.owner == .name(target) && $0.rrset.type == type }) {
                    plan.additional.append(PlacedRRset(owner: .name(target), rrset: rrset))
                }
            }
        }
    }
}
