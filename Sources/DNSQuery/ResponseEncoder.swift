import DomainNames
import DNSZone

/// Who owns an RRset in a response: the question name (answers, wildcard synthesis) or a name.
enum Owner: Equatable {
    case question
    case name(DNSName)
}

/// One RRset placed in a response section.
struct PlacedRRset {
    var owner: Owner
    var rrset: ResourceRecordSet
}

/// The content of a response before encoding: rcode, AA and the three sections.
struct AnswerPlan {
    var rcode: UInt8 = RCode.noError
    var authoritative = true
    var answer: [PlacedRRset] = []
    var authority: [PlacedRRset] = []
    var additional: [PlacedRRset] = []
}

/// Encodes sections after a question at offset 12, compressing names against the question and
/// earlier names, stopping at whole RRsets when the size limit is reached (TC for answer and
/// authority, silently for additional, as NSD does).
struct ResponseEncoder {
    private(set) var bytes: [UInt8]
    private(set) var counts: (answer: Int, authority: Int, additional: Int) = (0, 0, 0)
    private(set) var truncated = false
    /// How many RRsets were written whole.
    private(set) var placedRRsets = 0
    /// Where each compression pointer was written (the offset of its first byte).
    private(set) var pointers: [Int] = []
    private let limit: Int
    private let questionName: DNSName
    /// Suffixes already written: where they start and the lower-case wire bytes from there.
    private var known: [(offset: Int, suffix: ArraySlice<UInt8>)] = []

    /// `prefix` is the header and question as they will be sent; `questionName` the lower-cased qname.
    init(prefix: [UInt8], questionName: DNSName, limit: Int) {
        bytes = prefix
        bytes.reserveCapacity(512)
        self.limit = limit
        self.questionName = questionName
        register(questionName.wire[...], at: 12)
    }

    /// Encodes every section of `plan` (stopping where the limit says).
    mutating func encode(_ plan: AnswerPlan, reserve: Int) {
        for (sectionIndex, rrsets) in [plan.answer, plan.authority, plan.additional].enumerated() {
            let mustFit = sectionIndex < 2
            for placed in rrsets {
                let mark = bytes.count
                let knownMark = known.count
                let written = write(placed)
                if bytes.count + reserve > limit {
                    bytes.removeSubrange(mark...)
                    known.removeSubrange(knownMark...)
                    pointers.removeAll { $0 >= mark }
                    if mustFit { truncated = true; return }
                    continue
                }
                placedRRsets += 1
                switch sectionIndex {
                case 0: counts.answer += written
                case 1: counts.authority += written
                default: counts.additional += written
                }
            }
        }
    }

    /// Writes each record of the RRset; returns how many.
    private mutating func write(_ placed: PlacedRRset) -> Int {
        for rdata in placed.rrset.rdatas {
            switch placed.owner {
            case .question:
                pointers.append(bytes.count)
                bytes.append(contentsOf: [0xC0, 12])
            case .name(let name): writeName(name.wire[...])
            }
            append16(placed.rrset.type)
            append16(1)
            append16(UInt16(placed.rrset.ttl >> 16))
            append16(UInt16(placed.rrset.ttl & 0xFFFF))
            let lengthAt = bytes.count
            append16(0)
            if let nameOffset = ResourceRecordSet.embeddedNameOffset(type: placed.rrset.type), nameOffset < rdata.count {
                bytes.append(contentsOf: rdata[0..<nameOffset])
                let nameEnd = Self.nameEnd(rdata, nameOffset)
                writeName(Self.lowered(rdata[nameOffset..<nameEnd]), original: rdata[nameOffset..<nameEnd])
                if placed.rrset.type == RRType.soa {  // RNAME too, then the five numbers
                    let rnameEnd = Self.nameEnd(rdata, nameEnd)
                    writeName(Self.lowered(rdata[nameEnd..<rnameEnd]), original: rdata[nameEnd..<rnameEnd])
                    bytes.append(contentsOf: rdata[rnameEnd...])
                } else {
                    bytes.append(contentsOf: rdata[nameEnd...])
                }
            } else {
                bytes.append(contentsOf: rdata)
            }
            let length = bytes.count - lengthAt - 2
            bytes[lengthAt] = UInt8(length >> 8)
            bytes[lengthAt + 1] = UInt8(length & 0xFF)
        }
        return placed.rrset.rdatas.count
    }

    /// Writes `name` (lower-case, for matching), compressed where a suffix was written before;
    /// the bytes written come from `original`, so a name keeps the case the zone gave it.
    private mutating func writeName(_ name: ArraySlice<UInt8>, original: ArraySlice<UInt8>? = nil) {
        var index = name.startIndex
        let source = original ?? name
        while name[index] != 0 {
            let suffix = name[index...]
            if let match = known.first(where: { $0.suffix.elementsEqual(suffix) }) {
                pointers.append(bytes.count)
                bytes.append(UInt8(0xC0 | (match.offset >> 8)))
                bytes.append(UInt8(match.offset & 0xFF))
                return
            }
            if bytes.count < 0x4000 { known.append((bytes.count, suffix)) }
            let length = Int(name[index])
            let sourceStart = source.startIndex + (index - name.startIndex)
            bytes.append(contentsOf: source[sourceStart...(sourceStart + length)])
            index += length + 1
        }
        bytes.append(0)
    }

    private mutating func register(_ name: ArraySlice<UInt8>, at offset: Int) {
        var index = name.startIndex
        while name[index] != 0 {
            known.append((offset + (index - name.startIndex), name[index...]))
            index += Int(name[index]) + 1
        }
    }

    private mutating func append16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    static func nameEnd(_ rdata: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < rdata.count, rdata[index] != 0 { index += Int(rdata[index]) + 1 }
        return min(index + 1, rdata.count)
    }

    static func lowered(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        bytes.contains(where: { $0 &- 65 < 26 }) ? ArraySlice(bytes.map { $0 &- 65 < 26 ? $0 | 0x20 : $0 }) : bytes
    }
}
