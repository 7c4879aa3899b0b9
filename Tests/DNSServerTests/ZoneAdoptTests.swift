import DNSAuthority
import DNSZone
import DomainNames
import Foundation
import LifeboatCore
import Testing

/// A site adopting the zone state the cluster's leader published.
@Suite("Adopting the cluster's zone state")
struct ZoneAdoptTests {
    static let zone = DNSName("lifeboat.test.")!

    @Test("a newer state is served exactly (overrides and serial) and persisted; an older or equal one changes nothing")
    func adopt() async throws {
        let leader = try await TestServer.start()
        let follower = try await TestServer.start()
        defer { Task { await leader.stop(); await follower.stop() } }
        try await leader.authority.replaceAddresses(of: [ZoneChangeTests.www], with: ZoneChangeTests.standby, ttl: 5)
        try await leader.authority.replaceAddresses(of: [ZoneChangeTests.www], with: ZoneChangeTests.standby, ttl: 5)
        let published = try #require(await leader.authority.publishedState(of: Self.zone))
        #expect(published.serial == 9 && published.overrides["www.lifeboat.test."]?.addresses == ["198.51.100.20", "2001:db8:1::20"])

        #expect(try await follower.authority.adopt(published, for: Self.zone))
        #expect(ZoneChangeTests.serial(port: follower.port) == "9")
        #expect(ZoneChangeTests.ask("www.lifeboat.test", RRType.a, port: follower.port)?.answer == ["www.lifeboat.test. 5 in a 198.51.100.20"])
        #expect(await follower.authority.publishedState(of: Self.zone) == published)
        let saved = try String(contentsOfFile: "\(follower.stateDirectory)/dns/lifeboat.test.state", encoding: .utf8)
        #expect(saved.contains("serial 9\n") && saved.contains("override www.lifeboat.test. 5 198.51.100.20 2001:db8:1::20"))

        // A late or replayed state (an old leader's) never takes the serial back.
        #expect(try await !follower.authority.adopt(PublishedZoneState(serial: 8, overrides: [:]), for: Self.zone))
        #expect(try await !follower.authority.adopt(PublishedZoneState(serial: 9, overrides: [:]), for: Self.zone))
        #expect(ZoneChangeTests.serial(port: follower.port) == "9")
        #expect(ZoneChangeTests.ask("www.lifeboat.test", RRType.a, port: follower.port)?.answer == ["www.lifeboat.test. 5 in a 198.51.100.20"])

        // Failback: the leader's newer state without overrides brings the file's records back.
        #expect(try await follower.authority.adopt(PublishedZoneState(serial: 10, overrides: [:]), for: Self.zone))
        #expect(ZoneChangeTests.ask("www.lifeboat.test", RRType.a, port: follower.port)?.answer.first?.contains("192.0.2.10") == true)
        #expect(ZoneChangeTests.serial(port: follower.port) == "10")
    }

    @Test("a state naming an owner outside the zone or a bad address is refused, and nothing changes")
    func badState() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let outside = PublishedZoneState(serial: 20, overrides: ["www.example.org.": .init(addresses: ["192.0.2.1"], ttl: 5)])
        await #expect(throws: ZoneAuthorityError.ownerNotServed("www.example.org.")) { try await server.authority.adopt(outside, for: Self.zone) }
        let bad = PublishedZoneState(serial: 20, overrides: ["www.lifeboat.test.": .init(addresses: ["not-an-address"], ttl: 5)])
        await #expect(throws: ZoneAuthorityError.badAddress("www.lifeboat.test.")) { try await server.authority.adopt(bad, for: Self.zone) }
        #expect(ZoneChangeTests.serial(port: server.port) == "7")
    }
}
