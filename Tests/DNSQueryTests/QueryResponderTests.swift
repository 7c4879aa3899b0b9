import DNSQuery
import DNSZone
import Testing

@Suite("Answers to queries, from the example zone")
struct QueryResponderTests {
    @Test("an A record: AA set, RA clear, question echoed")
    func positive() throws {
        let reply = try #require(ask("www.example.com", RRType.a))
        #expect(reply.id == 0x1234 && reply.qr && reply.aa && !reply.ra && !reply.tc && reply.rcode == 0)
        #expect(reply.question == ["www.example.com. in a"])
        #expect(reply.answer == ["www.example.com. 30 in a 203.0.113.10"])
        #expect(reply.authority.isEmpty && reply.additional.isEmpty && reply.edns == nil)
    }

    @Test("RD is copied, never acted on")
    func recursionDesired() throws {
        let reply = try #require(ask("www.example.com", RRType.a, QueryOptions(recursionDesired: true)))
        #expect(reply.rd && !reply.ra && reply.aa)
    }

    @Test("NXDOMAIN carries the SOA with the negative TTL")
    func nxdomain() throws {
        let reply = try #require(ask("nope.example.com", RRType.a))
        #expect(reply.rcode == 3 && reply.aa && reply.answer.isEmpty)
        #expect(reply.authority == [soaNegative])
    }

    @Test("NODATA: NOERROR, no answer, the SOA", arguments: [
        ("www.example.com", RRType.mx), ("users.example.com", RRType.a), ("a.users.example.com", RRType.mx),
        ("lab.example.com", RRType.ds),
    ])
    func nodata(_ name: String, _ type: UInt16) throws {
        let reply = try #require(ask(name, type))
        #expect(reply.rcode == 0 && reply.aa && reply.answer.isEmpty)
        #expect(reply.authority == [soaNegative])
    }

    @Test("a CNAME is followed within the zone")
    func cname() throws {
        let reply = try #require(ask("static.example.com", RRType.aaaa))
        #expect(reply.answer == ["static.example.com. 3600 in cname www.example.com.", "www.example.com. 30 in aaaa 2001:db8::10"])
        let direct = try #require(ask("static.example.com", RRType.cname))
        #expect(direct.answer == ["static.example.com. 3600 in cname www.example.com."])
    }

    @Test("a wildcard synthesises the query name")
    func wildcard() throws {
        let reply = try #require(ask("Some.Deep.users.example.com", RRType.a))
        #expect(reply.aa && reply.rcode == 0)
        #expect(reply.answer == ["some.deep.users.example.com. 3600 in a 203.0.113.99"])
    }

    @Test("names at and below a delegation get a referral with glue, AA clear", arguments: [
        ("www.lab.example.com", RRType.a), ("lab.example.com", RRType.ns), ("ns.lab.example.com", RRType.a),
        ("deep.er.lab.example.com", RRType.ds),
    ])
    func referral(_ name: String, _ type: UInt16) throws {
        let reply = try #require(ask(name, type))
        #expect(!reply.aa && reply.rcode == 0 && reply.answer.isEmpty)
        #expect(reply.authority == ["lab.example.com. 3600 in ns ns.lab.example.com."])
        #expect(reply.additional == ["ns.lab.example.com. 3600 in a 192.0.2.77"])
    }

    @Test("NS at the apex adds the in-zone addresses")
    func nsAnswer() throws {
        let reply = try #require(ask("example.com", RRType.ns))
        #expect(Set(reply.answer) == ["example.com. 3600 in ns ns1.example.com.", "example.com. 3600 in ns ns2.example.net."])
        #expect(Set(reply.additional) == ["ns1.example.com. 3600 in a 192.0.2.53", "ns1.example.com. 3600 in aaaa 2001:db8:53::53"])
    }

    @Test("ANY gets one RRset (RFC 8482): the first in the file")
    func any() throws {
        #expect(ask("example.com", RRType.any)?.answer.first?.hasPrefix("example.com. 3600 in soa") == true)
        #expect(ask("example.com", RRType.any)?.answer.count == 1)
        #expect(ask("x.users.example.com", RRType.any)?.answer == ["x.users.example.com. 3600 in a 203.0.113.99"])
        #expect(ask("users.example.com", RRType.any)?.authority == [soaNegative])
    }

    @Test("names outside the served zones are REFUSED", arguments: ["example.org", "com", ".", "xexample.com"])
    func refused(_ name: String) throws {
        let reply = try #require(ask(name, RRType.a, QueryOptions(recursionDesired: true)))
        #expect(reply.rcode == 5 && !reply.aa && reply.answer.isEmpty && reply.authority.isEmpty)
    }

    @Test("the question is echoed byte for byte; the answer's owner follows it")
    func caseEcho() throws {
        let query = makeQuery("WwW.ExAmPlE.CoM", RRType.a)
        let response = try #require(respond(query))
        #expect(Array(response[12..<(12 + 17 + 4)]) == Array(query[12..<(12 + 17 + 4)]))
        #expect(DecodedMessage.decode(response)?.answer == ["www.example.com. 30 in a 203.0.113.10"])
    }

    @Test("EDNS: OPT echoed with payload 1232 and the DO bit")
    func edns() throws {
        let plain = try #require(ask("www.example.com", RRType.a, QueryOptions(edns: (4096, 0, false))))
        #expect(plain.edns?.payloadSize == 1232 && plain.edns?.version == 0 && plain.edns?.dnssecOK == false)
        let withDO = try #require(ask("nope.example.com", RRType.a, QueryOptions(edns: (1232, 0, true))))
        #expect(withDO.edns?.dnssecOK == true && withDO.rcode == 3)
    }

    @Test("EDNS version 1 gets BADVERS")
    func badvers() throws {
        let reply = try #require(ask("www.example.com", RRType.a, QueryOptions(edns: (1232, 1, false))))
        #expect(reply.rcode == 16 && reply.answer.isEmpty && reply.edns?.version == 0)
    }

    @Test("a class other than IN is refused")
    func chaos() throws {
        #expect(ask("version.bind", RRType.txt, QueryOptions(qclass: 3))?.rcode == 5)
    }

    @Test("unknown opcodes get NOTIMP, NOTIFY to the primary REFUSED")
    func opcodes() throws {
        #expect(ask("www.example.com", RRType.a, QueryOptions(opcode: 2))?.rcode == 4)
        #expect(ask("www.example.com", RRType.a, QueryOptions(opcode: 5))?.rcode == 4)
        #expect(ask("example.com", RRType.soa, QueryOptions(opcode: 4))?.rcode == 5)
    }

    @Test("AXFR over UDP is FORMERR; over TCP it is handed to the server")
    func transfers() throws {
        #expect(ask("example.com", RRType.axfr)?.rcode == 1)
        var out: [UInt8] = []
        let query = makeQuery("example.com", RRType.axfr)
        let disposition = query.withUnsafeBytes { QueryResponder.respond(to: $0, using: exampleSnapshot, transport: .tcp, into: &out) }
        guard case .transfer(let parsed) = disposition else { Issue.record("not a transfer: \(disposition)"); return }
        #expect(parsed.qtype == RRType.axfr)
    }

    @Test("IXFR over UDP answers with the SOA alone")
    func udpIXFR() throws {
        let reply = try #require(ask("example.com", RRType.ixfr))
        #expect(reply.rcode == 0 && reply.answer.count == 1 && reply.answer[0].contains(" soa "))
    }
}
