import LifeboatConfig
import LifeboatTestSupport
import Testing
@testable import Controller

@Suite("A switchover's TTL wait")
struct SwitchoverWaitTests {
    @Test("the longest TTL caches may hold: the zone file's (served before the first switch) when longer than ttl, plus drain_grace; none when switchover_ttl lowers nothing")
    func wait() throws {
        var service = try #require(try load(minimalConfig).services.first)
        service.ttl = 5
        service.drainGrace = .seconds(2)
        service.switchoverTTL = 1
        #expect(switchoverWait(service, servedTTLs: [30, 30]) == .seconds(32), "the lab: the zone file says 30 s, ttl = 5")
        #expect(switchoverWait(service, servedTTLs: [5]) == .seconds(7))
        #expect(switchoverWait(service, servedTTLs: []) == .seconds(7))
        service.switchoverTTL = 30
        #expect(switchoverWait(service, servedTTLs: [30]) == nil)
        #expect(switchoverWait(service, servedTTLs: [60]) == .seconds(62))
    }
}
