import DomainNames
import DNSZone
import Testing
@testable import DNSQuery

/// The hot path (prepared bytes written in place) against the general path (every answer built
/// from the nodes), and a failover's in-place snapshot update against a rebuild.
@Suite("Prepared answers and snapshot updates")
struct PreparedAnswerTests {
    static let names = [
        "example.com", "www.example.com", "WwW.ExAmPlE.cOm", "ns1.example.com", "mail.example.com", "static.example.com",
        "docs.example.com", "users.example.com", "bob.users.example.com", "_dmarc.example.com", "lab.example.com",
        "ns.lab.example.com", "deep.below.lab.example.com", "nope.example.com", "a.b.c.nope.example.com",
        "sub.www.example.com", "x.ns1.example.com", "example.org", "com", "",
    ]
    static let types: [UInt16] = [RRType.a, RRType.aaaa, RRType.mx, RRType.txt, RRType.ns, RRType.soa, RRType.cname,
                                  RRType.any, RRType.ds, RRType.srv, 99]
    static let options = [
        QueryOptions(), QueryOptions(recursionDesired: true), QueryOptions(edns: (1232, 0, true)),
        QueryOptions(edns: (512, 0, false)),
    ]

    /// Every name × type × option over UDP and TCP; how many the prepared path answered.
    static func compare(_ snapshot: ServingSnapshot, with reference: ServingSnapshot, general: Bool) -> Int {
        var prepared = 0
        for name in names {
            for type in types {
                for option in options {
                    for transport in [Transport.udp, .tcp] {
                        let query = makeQuery(name, type, option)
                        let got = respond(query, snapshot, transport: transport).flatMap(DecodedMessage.decode)
                        var out: [UInt8] = []
                        _ = query.withUnsafeBytes {
                            general
                                ? QueryResponder.respondInGeneral(to: $0, using: reference, transport: transport, into: &out)
                                : QueryResponder.respond(to: $0, using: reference, transport: transport, into: &out)
                        }
                        #expect(got != nil && got == DecodedMessage.decode(out), "\(name) \(type) \(transport)")
                        if query.withUnsafeBytes({ PreparedResponder.decide($0, snapshot.view, tcp: transport == .tcp) }) != nil {
                            prepared += 1
                        }
                    }
                }
            }
        }
        return withExtendedLifetime(snapshot) { prepared }
    }

    @Test("the prepared path answers every name and type as the general path does")
    func preparedMatchesGeneral() {
        let prepared = Self.compare(exampleSnapshot, with: exampleSnapshot, general: true)
        // Most questions take the prepared path: positive, NODATA, NXDOMAIN, referrals, REFUSED.
        #expect(prepared > Self.names.count * Self.types.count * Self.options.count * 2 * 3 / 4)
    }

    @Test("the hot path covers NXDOMAIN, NODATA, referrals below a cut and REFUSED, moving pointers")
    func coverage() throws {
        for (name, type, rcode) in [("a.b.c.nope.example.com", RRType.a, 3), ("www.example.com", RRType.mx, 0),
                                    ("deep.below.lab.example.com", RRType.a, 0), ("example.org", RRType.a, 5)] {
            let query = makeQuery(name, type)
            let decided = query.withUnsafeBytes { PreparedResponder.decide($0, exampleSnapshot.view, tcp: false) }
            #expect(decided?.rcode == UInt8(rcode), "\(name)")
        }
        let reply = try #require(ask("a.b.c.nope.example.com", RRType.a))
        #expect(reply.authority == [soaNegative])
    }

    static let file = ZoneContents(file: try! ZoneFileLoader.load(path: "\(repositoryRoot)/zones/example.com.zone"))

    /// The example zone with `changes` at a serial.
    static func served(_ changes: [String: [[UInt8]]], serial: UInt32) -> ServedZone {
        let plain = ServedZone(file: file)
        var changed: [DNSName: [ResourceRecordSet]] = [:]
        for (owner, addresses) in changes {
            changed[DNSName(owner)!] = plain.replacingAddresses(of: DNSName(owner)!, with: addresses, ttl: 30)
        }
        return ServedZone(file: file, serial: serial, changedOwners: changed)
    }

    @Test("an update answers as a rebuild does: the owner, CNAMEs to it, glue, the serial; the index is shared")
    func updateMatchesRebuild() {
        let first = ServingSnapshot(zones: [ServedZone(file: Self.file)])
        // www (read by two CNAMEs), ns1 (glue of the apex NS) and ns.lab (glue of the referral).
        let standby: [[UInt8]] = [[198, 51, 100, 20], [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20]]
        let steps: [([String: [[UInt8]]], [String])] = [
            (["www.example.com.": standby], ["www.example.com."]),
            (["www.example.com.": standby, "ns1.example.com.": [[192, 0, 2, 54]]], ["ns1.example.com."]),
            (["www.example.com.": standby, "ns1.example.com.": [[192, 0, 2, 54]], "ns.lab.example.com.": [[192, 0, 2, 78]]],
             ["ns.lab.example.com."]),
            (["ns1.example.com.": [[192, 0, 2, 54]], "ns.lab.example.com.": [[192, 0, 2, 78]]], ["www.example.com."]),
        ]
        var current = first
        for (round, (changes, owners)) in steps.enumerated() {
            let zones = [Self.served(changes, serial: 2026112402 + UInt32(round))]
            current = current.updating(zones: zones, owners: owners.map { DNSName($0)! })
            #expect(current.base === first.base, "round \(round) shares the index")
            _ = Self.compare(current, with: ServingSnapshot(zones: zones), general: false)
        }
        let reply = ask("static.example.com", RRType.a, snapshot: current)
        #expect(reply?.answer == ["static.example.com. 3600 in cname www.example.com.", "www.example.com. 30 in a 203.0.113.10"])
    }

    @Test("a failover of the apex's addresses serves the new serial in the SOA, updated or rebuilt")
    func apexOverrideKeepsServedSerial() {
        let zones = [Self.served(["example.com.": [[198, 51, 100, 20]]], serial: 2026112409)]
        let updated = ServingSnapshot(zones: [ServedZone(file: Self.file)]).updating(zones: zones, owners: [DNSName("example.com.")!])
        for snapshot in [updated, ServingSnapshot(zones: zones)] {
            let soa = ask("example.com", RRType.soa, snapshot: snapshot)?.answer.first ?? ""
            #expect(soa.contains(" 2026112409 "), "\(soa)")
            #expect(ask("example.com", RRType.a, snapshot: snapshot)?.answer == ["example.com. 30 in a 198.51.100.20"])
            #expect(ask("nope.example.com", RRType.a, snapshot: snapshot)?.authority.first?.contains(" 2026112409 ") == true)
        }
    }

    @Test("a change the index cannot take in place (a new name) rebuilds it")
    func newNameRebuilds() {
        let first = ServingSnapshot(zones: [ServedZone(file: Self.file)])
        let zones = [Self.served(["new.example.com.": [[192, 0, 2, 1]]], serial: 2026112402)]
        let next = first.updating(zones: zones, owners: [DNSName("new.example.com.")!])
        #expect(next.base !== first.base)
        #expect(ask("new.example.com", RRType.a, snapshot: next)?.answer == ["new.example.com. 30 in a 192.0.2.1"])
    }
}
