import DNSZone
import LifeboatTestSupport
import Foundation
import Testing

/// The same zone served by NSD 4.6 (`minimal-responses: yes`) and by Lifeboat, asked the same
/// questions over UDP without EDNS, UDP with EDNS (with and without DO) and TCP: rcode, AA, TC
/// and every section (as sets) must agree.
@Suite("Differential against NSD", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/nsd")))
struct NSDDifferentialTests {
    static let names = [
        "lifeboat.test", "www.lifeboat.test", "WWW.LifeBoat.TEST", "alias.lifeboat.test", "chain1.lifeboat.test",
        "chain2.lifeboat.test", "dangling.lifeboat.test", "outside.lifeboat.test", "wildalias.lifeboat.test",
        "todeleg.lifeboat.test", "x.wild.lifeboat.test", "Deep.X.Wild.lifeboat.test", "wild.lifeboat.test",
        "q.cnamewild.lifeboat.test", "a.b.c.deep.lifeboat.test", "b.c.deep.lifeboat.test", "c.deep.lifeboat.test",
        "deep.lifeboat.test", "sub.lifeboat.test", "host.sub.lifeboat.test", "ns.sub.lifeboat.test",
        "a.b.host.SUB.lifeboat.test", "other.lifeboat.test", "x.other.lifeboat.test", "srv._tcp.lifeboat.test",
        "_tcp.lifeboat.test", "ptr.lifeboat.test", "caa.lifeboat.test", "big.lifeboat.test", "ns1.lifeboat.test",
        "mail.lifeboat.test", "nothing.lifeboat.test", "nothing.www.lifeboat.test", "www.nothing.lifeboat.test",
        "example.org", "test", "lifeboat.tes",
    ]
    static let types: [UInt16] = [1, 28, 15, 16, 2, 6, 5, 255, 33, 12, 257, 43]

    enum Mode: String, CaseIterable {
        case udp, udpEDNS, udpEDNSDO, tcp
    }

    static func query(_ name: String, _ type: UInt16, id: UInt16, mode: Mode) -> [UInt8] {
        var packet = RawPacketTests.query(name, type, id: id)
        if mode == .udpEDNS || mode == .udpEDNSDO {
            packet[11] = 1
            packet += [0, 0, 41, 4, 208, 0, 0, mode == .udpEDNSDO ? 0x80 : 0, 0, 0, 0]
        }
        return packet
    }

    static func exchange(_ packet: [UInt8], port: Int, mode: Mode) -> DecodedMessage? {
        let reply = mode == .tcp ? SocketClient.tcp([packet], port: port)?.first : SocketClient.udp(packet, port: port)
        return reply.flatMap(DecodedMessage.decode)
    }

    /// What must agree; owner and RDATA names compare case-insensitively (normalised already).
    struct Comparable: Equatable, CustomStringConvertible {
        let rcode: Int
        let aa, tc: Bool
        let answer, authority, additional: Set<String>
        let edns: DecodedMessage.EDNSInfo?

        init(_ message: DecodedMessage) {
            rcode = message.rcode
            aa = message.aa
            tc = message.tc
            answer = Set(message.answer)
            authority = Set(message.authority)
            additional = Set(message.additional)
            edns = message.edns
        }

        var description: String {
            "rcode \(rcode) aa \(aa) tc \(tc) an \(answer.sorted()) ns \(authority.sorted()) ar \(additional.sorted()) edns \(String(describing: edns))"
        }
    }

    @Test("≥ 300 questions in four modes get the same answers from Lifeboat and NSD")
    func sameAnswers() async throws {
        let nsd = try NSDInstance(zones: ["lifeboat.test.": testZoneText])
        defer { nsd.stop() }
        #expect(await nsd.waitUntilAnswering("lifeboat.test"), "NSD did not start: \(nsd.log)")
        let lifeboat = try await TestServer.start()
        var compared = 0
        var differences: [String] = []
        var id: UInt16 = 1
        for mode in Mode.allCases {
            for name in Self.names {
                for type in Self.types {
                    id &+= 1
                    let packet = Self.query(name, type, id: id, mode: mode)
                    guard let expected = Self.exchange(packet, port: nsd.port, mode: mode),
                          let actual = Self.exchange(packet, port: lifeboat.port, mode: mode) else {
                        differences.append("\(mode) \(name) \(type): no answer from one side")
                        continue
                    }
                    compared += 1
                    #expect(actual.id == id && actual.question == expected.question)
                    if Comparable(actual) != Comparable(expected) {
                        differences.append("\(mode) \(name) type \(type):\n  nsd      \(Comparable(expected))\n  lifeboat \(Comparable(actual))")
                    }
                }
            }
        }
        await lifeboat.stop()
        #expect(compared >= 300 * 4)
        #expect(differences.count == 0, "first differences:\n\(differences.prefix(15).joined(separator: "\n"))")
    }
}
