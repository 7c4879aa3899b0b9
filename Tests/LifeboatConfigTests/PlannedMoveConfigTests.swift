import LifeboatConfig
import LifeboatTestSupport
import Testing

/// `switchover_ttl`, `drill_hold`, `resolvers` and `propagation_timeout`.
@Suite("Configuration: switchover, drill and the propagation watch")
struct PlannedMoveConfigTests {
    static func config(_ lines: String) -> String {
        minimalConfig.replacingFirst("owners = [\"www.example.com.\"]", with: "owners = [\"www.example.com.\"]\n\(lines)")
    }

    @Test("defaults; strings and tables for resolvers (port 53 unless given)")
    func valid() throws {
        let plain = try #require(try load(minimalConfig).services.first)
        #expect(plain.switchoverTTL == 5 && plain.drillHold == .seconds(60) && plain.propagationTimeout == .seconds(600) && plain.resolvers.isEmpty)
        #expect(plain.drainWaitsForPropagation)
        let service = try #require(try load(Self.config("""
            switchover_ttl = "2s"
            drill_hold = "30s"
            propagation_timeout = "2m"
            drain_waits_for_propagation = false
            resolvers = ["192.0.2.53", { address = "[2001:db8::53]:5353", name = "isp-b" }]
            """)).services.first)
        #expect(service.switchoverTTL == 2 && service.drillHold == .seconds(30) && service.propagationTimeout == .seconds(120))
        #expect(!service.drainWaitsForPropagation)
        #expect(service.resolvers.map(\.name) == ["192.0.2.53:53", "isp-b"])
        #expect(service.resolvers.map(\.address.port) == [53, 5353])
    }

    static let refused: [(String, String, String)] = [
        (config("resolvers = \"192.0.2.53\""), "service[0].resolvers",
         "expected an array of \"addr[:port]\" strings or [[service.resolvers]] tables, got a string (\"192.0.2.53\")"),
        (config("resolvers = [\"resolver.example\"]"), "service[0].resolvers[0]", ""),
        (config("resolvers = [{ name = \"isp\" }]"), "service[0].resolvers[0].address", ""),
        (config("resolvers = [{ address = \"192.0.2.53\", nmae = \"isp\" }]"), "service[0].resolvers[0].nmae", ""),
        (config("switchover_ttl = \"500ms\""), "service[0].switchover_ttl", ""),
        (config("drain_waits_for_propagation = \"yes\""), "service[0].drain_waits_for_propagation", ""),
    ]

    @Test("refused, naming the place", arguments: refused)
    func bad(text: String, keyPath: String, message: String) {
        let found = problems(text)
        #expect(found.map(\.keyPath) == [keyPath], "\(found)")
        if !message.isEmpty { #expect(found.first?.message == message, "\(found.first?.message ?? "")") }
    }
}
