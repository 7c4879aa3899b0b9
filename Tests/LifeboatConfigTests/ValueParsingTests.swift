import LifeboatCore
import DomainNames
import LifeboatConfig
import LifeboatTestSupport
import Testing

@Suite("Durations, addresses, networks and names")
struct ValueParsingTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("2s", .seconds(2)), ("5m", .seconds(300)),
        ("1h", .seconds(3600)), ("1m30s", .seconds(90)), ("1h2m3s4ms", .milliseconds(3_723_004)), ("0s", .zero),
    ])
    func durations(_ text: String, _ expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "2", "s", "2 s", "2S", "-2s", "2d", "1.5s", "2sec", "9999999999s"])
    func badDurations(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [(Duration.seconds(90), "1m30s"), (.milliseconds(250), "250ms"), (.seconds(7200), "2h"), (.zero, "0s")])
    func formattedDurations(_ duration: Duration, _ text: String) {
        #expect(DurationText.format(duration) == text)
    }

    @Test func socketAddresses() {
        #expect(SocketAddress("[::1]:53")?.description == "[::1]:53")
        #expect(SocketAddress("192.0.2.1:853")?.port == 853)
        #expect(SocketAddress("192.0.2.1", defaultPort: 53)?.description == "192.0.2.1:53")
        #expect(SocketAddress("2001:db8::1", defaultPort: 53)?.description == "[2001:db8::1]:53")
        #expect(SocketAddress("192.0.2.1:0") == nil)
        #expect(SocketAddress("192.0.2.1:") == nil)
        #expect(SocketAddress("2001:db8::1:53") == nil)  // ambiguous without brackets
        #expect(SocketAddress("host.example:53") == nil)
    }

    @Test func networks() throws {
        let v4 = try IPNetwork.parse("192.0.2.0/24").get()
        #expect(v4.contains(IPAddress("192.0.2.77")!))
        #expect(!v4.contains(IPAddress("192.0.3.1")!))
        #expect(!v4.contains(IPAddress("2001:db8::1")!))
        let v6 = try IPNetwork.parse("2001:db8::/33").get()
        #expect(v6.contains(IPAddress("2001:db8:7fff::1")!))
        #expect(!v6.contains(IPAddress("2001:db8:8000::1")!))
        #expect(try IPNetwork.parse("198.51.100.7").get().description == "198.51.100.7/32")
        #expect(IPNetwork.parse("2001:db8::1/32") == .failure(.hostBitsSet(suggestion: "2001:db8::/32")))
        #expect(IPNetwork.parse("10.0.0.0/-1") == .failure(.badPrefix))
    }

    @Test func domainNames() throws {
        #expect(try DNSName.validated("WWW.Example.com").get().description == "www.example.com.")
        let zone = try DNSName.validated("example.com.").get()
        #expect(try DNSName.validated("a.b.example.com.").get().isWithin(zone))
        #expect(try !DNSName.validated("badexample.com.").get().isWithin(zone))
        #expect(try DNSName.validated("*.users.example.com").get().isWithin(zone))
        #expect(throws: DNSNameError.self) { try DNSName.validated("a..b").get() }
        #expect(throws: DNSNameError.self) { try DNSName.validated(String(repeating: "a", count: 64) + ".com").get() }
        #expect(throws: DNSNameError.self) { try DNSName.validated("www.exa mple.com").get() }
    }
}
