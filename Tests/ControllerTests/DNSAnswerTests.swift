import DomainNames
import Testing
@testable import Controller

@Suite("The propagation watch's DNS reader")
struct DNSAnswerTests {
    @Test("a query: ID, RD, one question; an answer with compressed names: A and AAAA values, the lowest TTL, a SOA serial")
    func readsAnswers() throws {
        let name = try #require(DNSName("www.example.com."))
        let query = DNSAnswer.query(id: 0xBEEF, name: name, type: 1)
        #expect(Array(query.prefix(6)) == [0xBE, 0xEF, 0x01, 0x00, 0, 1])
        // Header (response, NOERROR, 1 question, 3 answers), the question, then A (ttl 60), A (ttl 5), SOA — names as pointers.
        var bytes: [UInt8] = [0xBE, 0xEF, 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 0] + name.wire + [0, 1, 0, 1]
        bytes += [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 51, 100, 20]
        bytes += [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 198, 51, 100, 21]
        bytes += [0xC0, 16, 0, 6, 0, 1, 0, 0, 0, 30, 0, 26] + [3, 0x6E, 0x73, 0x31, 0xC0, 16] + [0xC0, 16] + [0x78, 0xB9, 0x6A, 0x02] + Array(repeating: 0, count: 16)
        let answer = try #require(DNSAnswer.parse(bytes))
        #expect(answer.id == 0xBEEF && answer.rcode == 0)
        #expect(answer.addresses == [[198, 51, 100, 20], [198, 51, 100, 21]] && answer.ttl == 5)
        #expect(answer.serial == 0x78B9_6A02)
    }

    @Test("refused, truncated or not a response: read as such, never a crash")
    func badInput() throws {
        let name = try #require(DNSName("example.com."))
        var refused = DNSAnswer.query(id: 7, name: name, type: 6)
        refused[2] |= 0x80
        refused[3] = 5
        #expect(DNSAnswer.parse(refused)?.rcode == 5)
        #expect(DNSAnswer.parse(DNSAnswer.query(id: 7, name: name, type: 1)) == nil, "a query is not an answer")
        var claimsAnswers = refused
        claimsAnswers[7] = 2
        #expect(DNSAnswer.parse(claimsAnswers) == nil)
        for length in 0..<refused.count { _ = DNSAnswer.parse(Array(refused.prefix(length))) }
    }
}
