import DNSQuery
import DNSZone
import Testing

/// Packets that must never crash the responder: each gets FORMERR (or another header-only
/// error) when its header can be read, and silence otherwise.
@Suite("Malformed packets")
struct MalformedQueryTests {
    static let good = makeQuery("www.example.com", RRType.a)

    static func with(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = good
        edit(&bytes)
        return bytes
    }

    static let formErrCases: [(String, [UInt8])] = [
        ("qdcount 0", with { $0[5] = 0 }),
        ("qdcount 2", with { $0[5] = 2 }),
        ("label longer than 63", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64] + [UInt8](repeating: 97, count: 64) + [0, 0, 1, 0, 1]),
        ("name longer than 255", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] + Array(repeating: [63] + [UInt8](repeating: 97, count: 63), count: 5).flatMap { $0 } + [0, 0, 1, 0, 1]),
        ("compression pointer in the question", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]),
        ("truncated question", Array(good.prefix(20))),
        ("question without type and class", Array(good.prefix(good.count - 4))),
        ("answer records in a query", with { $0[7] = 1 }),
        ("OPT record cut short", makeQuery("www.example.com", RRType.a, QueryOptions(edns: (1232, 0, false))).dropLast(3).map { $0 }),
        ("two OPT records", { var q = makeQuery("www.example.com", RRType.a, QueryOptions(edns: (1232, 0, false))); q[11] = 2; q += [0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0]; return q }()),
        ("additional record with a pointer loop", with { $0[11] = 1; $0 += [0xC0, UInt8($0.count), 0, 1, 0, 1, 0, 0, 0, 0, 0, 0] }),
        ("additional record with a forward pointer", with { $0[11] = 1; $0 += [0xC0, 0xFF, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0] }),
        ("additional record with a reserved label type", with { $0[11] = 1; $0 += [0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0] }),
        ("rdata longer than the packet", with { $0[11] = 1; $0 += [0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 200, 1, 2] }),
        ("garbage after the header", [0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xFF, 0xFE, 0xFD]),
    ]

    @Test("FORMERR with the ID and no question", arguments: formErrCases)
    func formErr(_ name: String, _ packet: [UInt8]) throws {
        let response = try #require(respond(packet), "\(name): no response")
        #expect(response.count == 12)
        #expect(response[0] == packet[0] && response[1] == packet[1])
        #expect(response[2] & 0x80 != 0, "QR set")
        #expect(response[3] & 0x0F == 1, "\(name): rcode \(response[3] & 0x0F)")
    }

    @Test("silence for what has no readable header or is a response", arguments: [
        [UInt8](), [0], Array(good.prefix(11)), with { $0[2] |= 0x80 },
    ])
    func dropped(_ packet: [UInt8]) {
        #expect(respond(packet) == nil)
    }

    @Test("random garbage never crashes and never gets more than a header back when unparseable")
    func garbage() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<80, using: &generator)
            var packet = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if packet.count > 5 && Bool.random(using: &generator) { packet[4] = 0; packet[5] = 1; packet[2] &= 0x7F }
            if let response = respond(packet) {
                #expect(response.count >= 12)
                #expect(response[2] & 0x80 != 0)
            }
        }
    }
}
