import DomainNames
import DNSZone

/// A response's sections encoded once. `bytes` answers hold the sections for a question naming
/// the node exactly; a `negative` answer stands for the zone's SOA-in-authority answer, which
/// the snapshot keeps once per zone (so a serial change does not touch every node).
struct PreparedAnswer: BitwiseCopyable, Sendable {
    /// Stands for every type the node has no special answer for.
    static let otherTypes: UInt16 = 0

    enum Kind: UInt8, BitwiseCopyable, Sendable {
        case bytes
        case negative
    }

    let qtype: UInt16
    let kind: Kind
    let authoritative: Bool
    let rcode: UInt8
    let answerCount: UInt16
    let authorityCount: UInt16
    let additionalCount: UInt16
    /// The sections' bytes in the layer's pool.
    let offset: Int32
    let length: Int32
    /// The compression pointers among those bytes, as positions in the layer's fixups: a
    /// question longer than the one encoded (a name below this node) moves each by the difference.
    let fixupStart: Int32
    let fixupCount: Int32
}

/// Prepared answers with the bytes and pointer positions they refer to, frozen.
struct AnswerLayer: Sendable {
    let entries: FrozenArray<PreparedAnswer>
    let pool: FrozenArray<UInt8>
    let fixups: FrozenArray<UInt16>

    var view: View { View(entries: entries.buffer, pool: pool.buffer, fixups: fixups.buffer) }

    struct View {
        /// A layer with nothing in it.
        static var empty: View {
            View(entries: UnsafeBufferPointer(start: nil, count: 0), pool: UnsafeBufferPointer(start: nil, count: 0),
                 fixups: UnsafeBufferPointer(start: nil, count: 0))
        }

        let entries: UnsafeBufferPointer<PreparedAnswer>
        let pool: UnsafeBufferPointer<UInt8>
        let fixups: UnsafeBufferPointer<UInt16>

        /// The entry in `range` for `qtype`, else its `otherTypes` entry.
        @inline(__always)
        func find(_ qtype: UInt16, in range: Range<Int>) -> Int? {
            var fallback: Int?
            for position in range {
                let candidate = entries[position].qtype
                if candidate == qtype { return position }
                if candidate == PreparedAnswer.otherTypes { fallback = position }
            }
            return fallback
        }
    }

    /// Collects answers, then freezes them.
    struct Builder {
        private(set) var entries: [PreparedAnswer] = []
        private var pool: [UInt8] = []
        private var fixups: [UInt16] = []

        /// Adds the answer `plan` gives for a question naming `name`; false when it is not worth
        /// preparing (an answer ending in a zone's negative SOA after a CNAME: the slow path
        /// builds it with the current serial).
        @discardableResult
        mutating func add(qtype: UInt16, plan: AnswerPlan, name: DNSName, zone: ServedZone) -> Bool {
            let negative = plan.answer.isEmpty && plan.additional.isEmpty && plan.authority.count == 1
                && plan.authority[0].rrset.type == RRType.soa && plan.authority[0].owner == .name(zone.origin)
            if negative {
                entries.append(PreparedAnswer(
                    qtype: qtype, kind: .negative, authoritative: true, rcode: plan.rcode, answerCount: 0, authorityCount: 1,
                    additionalCount: 0, offset: 0, length: 0, fixupStart: 0, fixupCount: 0))
                return true
            }
            if plan.authority.contains(where: { $0.rrset.type == RRType.soa }) { return false }
            append(qtype: qtype, plan: plan, name: name)
            return true
        }

        /// Adds `plan`'s sections as bytes, encoded after a question naming `name`.
        mutating func append(qtype: UInt16, plan: AnswerPlan, name: DNSName) {
            let questionEnd = 12 + name.wire.count + 4
            var encoder = ResponseEncoder(prefix: [UInt8](repeating: 0, count: 12) + name.wire + [0, 0, 0, 1], questionName: name, limit: 65535)
            encoder.encode(plan, reserve: 0)
            let fixupStart = fixups.count
            fixups += encoder.pointers.map { UInt16($0 - questionEnd) }
            entries.append(PreparedAnswer(
                qtype: qtype, kind: .bytes, authoritative: plan.authoritative, rcode: plan.rcode,
                answerCount: UInt16(encoder.counts.answer), authorityCount: UInt16(encoder.counts.authority),
                additionalCount: UInt16(encoder.counts.additional), offset: Int32(pool.count),
                length: Int32(encoder.bytes.count - questionEnd), fixupStart: Int32(fixupStart),
                fixupCount: Int32(fixups.count - fixupStart)))
            pool += encoder.bytes[questionEnd...]
        }

        func frozen() -> AnswerLayer {
            AnswerLayer(entries: FrozenArray(entries), pool: FrozenArray(pool), fixups: FrozenArray(fixups))
        }
    }
}
