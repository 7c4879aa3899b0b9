@testable import DNSQuery
import DNSServer
import DNSZone
import DomainNames
import Foundation
import LifeboatConfig
import LifeboatTestSupport
import Testing

/// What dnspython (`Tests/tools/dnscheck.py`) saw of an exchange: each message's rcode, OPT,
/// TSIG and answer records (`owner ttl TYPE rdata`), or the error it raised.
struct Exchange: Decodable {
    struct Message: Decodable {
        let rcode: Int
        let edns: Bool
        let tsig: Bool
        /// How many answer records (`answer` holds only the first and last three of a big one).
        let count: Int
        let answer: [String]
    }
    let ok: Bool
    let messages: [Message]?
    let error: String?

    var records: [String] { (messages ?? []).flatMap(\.answer) }
    var recordCount: Int { (messages ?? []).reduce(0) { $0 + $1.count } }

    static func run(_ arguments: [String]) async -> Exchange {
        await offPool { runBlocking(arguments) }
    }

    static func runBlocking(_ arguments: [String]) -> Exchange {
        let result = Lab.run("/usr/bin/python3", ["\(Lab.repositoryRoot)/Tests/tools/dnscheck.py"] + arguments, timeout: .seconds(30))
        return (try? JSONDecoder().decode(Exchange.self, from: Data(result.output.utf8)))
            ?? Exchange(ok: false, messages: nil, error: "dnscheck.py: \(result.output)")
    }
}

/// IXFR (RFC 1995) from the journal, OPT in transfers and question-less FORMERRs (RFC 6891 §7),
/// and TSIG (RFC 8945), checked with dnspython and dig against Lifeboat and, where NSD does the
/// same, against NSD 4.6 on the same zone.
@Suite("Transfers: IXFR, OPT, TSIG", .serialized)
struct TransferTests {
    static let www = DNSName("www.lifeboat.test.")!
    static let standby: [[UInt8]] = [IPAddress("198.51.100.20")!.bytes]
    static let other: [[UInt8]] = [IPAddress("198.51.100.30")!.bytes]
    static let secret = Data((0..<32).map { UInt8($0 &* 7 &+ 3) }).base64EncodedString()
    static let key = TSIGKey(name: DNSName("transfer-key.")!, algorithm: .hmacSHA256, secret: Array(Data(base64Encoded: secret)!))

    static func xfr(_ port: Int, _ kind: String, serial: UInt32? = nil, key: String? = nil, edns: Bool = false) async -> Exchange {
        await Exchange.run(["xfr", "127.0.0.1", "\(port)", "lifeboat.test.", kind] + (serial.map { ["--serial", "\($0)"] } ?? [])
                     + (key.map { ["--key", $0] } ?? []) + (edns ? ["--edns"] : []))
    }

    @Test("an IXFR at the current serial (or a newer one) gets the single SOA, as from NSD; dig shows one record")
    func upToDate() async throws {
        let nsd = try NSDInstance(zones: ["lifeboat.test.": testZoneText])
        defer { nsd.stop() }
        #expect(await nsd.waitUntilAnswering("lifeboat.test"), "NSD did not start: \(nsd.log)")
        let server = try await TestServer.start()
        for port in [server.port, nsd.port] {
            for serial: UInt32 in [7, 9] {
                let exchange = await Self.xfr(port, "IXFR", serial: serial)
                #expect(exchange.records.count == 1 && exchange.records[0].contains(" SOA ") && exchange.records[0].contains(" 7 "),
                        "port \(port) serial \(serial): \(exchange)")
            }
        }
        let dig = Lab.run("/usr/bin/dig", ["@127.0.0.1", "-p", "\(server.port)", "+nocookie", "lifeboat.test", "IXFR=7"]).output
        #expect(dig.contains("XFR size: 1 records"), "\(dig)")
        #expect(server.server.eventCounts()[.transfer(.upToDate)] == 3)
        await server.stop()
    }

    @Test("after two failover changes an IXFR from the first serial gets both changes; one from a serial the journal no longer holds gets the whole zone; the journal survives a restart")
    func incremental() async throws {
        let server = try await TestServer.start(journalSize: 2)
        try await server.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)  // 7 -> 8
        try await server.authority.replaceAddresses(of: [Self.www], with: Self.other, ttl: 5)  // 8 -> 9
        let changes = await Self.xfr(server.port, "IXFR", serial: 7)
        let soa = { (serial: Int) in "lifeboat.test. 3600 SOA ns1.lifeboat.test. hostmaster.lifeboat.test. \(serial) 3600 600 86400 120" }
        let expected = [
            soa(9),
            soa(7), "www.lifeboat.test. 30 A 192.0.2.10", "www.lifeboat.test. 30 A 192.0.2.11", "www.lifeboat.test. 30 AAAA 2001:db8::10",
            soa(8), "www.lifeboat.test. 5 A 198.51.100.20",
            soa(8), "www.lifeboat.test. 5 A 198.51.100.20",
            soa(9), "www.lifeboat.test. 5 A 198.51.100.30",
            soa(9),
        ]
        #expect(changes.records == expected, "\(changes)")

        try await server.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)  // 9 -> 10: 7 -> 8 falls out
        let whole = await Self.xfr(server.port, "IXFR", serial: 7)
        #expect(whole.ok && whole.records.first == soa(10) && whole.records.last == soa(10), "\(whole)")
        let axfr = await Self.xfr(server.port, "AXFR")
        #expect(whole.recordCount == axfr.recordCount, "the whole zone, in AXFR form")
        #expect(server.server.eventCounts()[.transfer(.full)] == 1 && server.server.eventCounts()[.transfer(.incremental)] == 1)
        await server.stop()

        let restarted = try await TestServer.start(zonesDirectory: server.zonesDirectory, stateDirectory: server.stateDirectory, journalSize: 2)
        let after = await Self.xfr(restarted.port, "IXFR", serial: 8)
        #expect(after.records == [soa(10), soa(8), "www.lifeboat.test. 5 A 198.51.100.20", soa(9), "www.lifeboat.test. 5 A 198.51.100.30",
                                  soa(9), "www.lifeboat.test. 5 A 198.51.100.30", soa(10), "www.lifeboat.test. 5 A 198.51.100.20", soa(10)],
                "\(after)")
        await restarted.stop()
    }

    @Test("IXFR over UDP: the changes when they fit, the single SOA when up to date or out of the journal")
    func overUDP() async throws {
        let server = try await TestServer.start()
        try await server.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        let ixfr = { (serial: String) in
            Lab.run("/usr/bin/dig", ["@127.0.0.1", "-p", "\(server.port)", "+notcp", "+nocookie", "+norec", "lifeboat.test", "IXFR=\(serial)"]).output
        }
        let changes = ixfr("7")
        #expect(changes.contains("198.51.100.20") && changes.contains("192.0.2.10"), "\(changes)")
        #expect(changes.contains("(UDP)"), "\(changes)")
        for serial in ["8", "3"] {
            let single = ixfr(serial)
            let records = single.split(separator: "\n").filter { $0.contains("\tIN\t") }
            #expect(records.count == 1 && records[0].contains("\tSOA\t") && single.contains("(UDP)"), "\(serial): \(single)")
        }
        await server.stop()
    }

    /// A server whose transfers need `key`, with a zone large enough for many messages.
    static func keyedServer() async throws -> TestServer {
        var big = "$ORIGIN big.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 120\n@ IN NS ns1\nns1 IN A 127.0.0.1\n"
        for index in 0..<3000 { big += "host\(index) IN A 10.0.\(index / 256).\(index % 256)\n" }
        let zones = try makeZonesDirectory(["lifeboat.test.zone": testZoneText, "big.test.zone": big])
        return try await TestServer.start(
            zonesDirectory: zones, allowTransfer: [], keys: [key],
            keyedTransfer: [TransferPermission(network: try IPNetwork.parse("127.0.0.0/8").get(), key: key.name)])
    }

    static let goodKey = "transfer-key:hmac-sha256:\(secret)"

    @Test("TSIG: a transfer signed with the required key is served with every message signed (dnspython verifies each); unsigned is REFUSED; a wrong secret BADSIG, an unknown key BADKEY, a clock 1000 s off BADTIME — each counted")
    func tsigTransfers() async throws {
        let server = try await Self.keyedServer()
        let signed = await Exchange.run(["xfr", "127.0.0.1", "\(server.port)", "big.test.", "AXFR", "--key", Self.goodKey])
        #expect(signed.ok && (signed.messages?.count ?? 0) > 3 && signed.messages?.allSatisfy(\.tsig) == true, "\(signed.error ?? "")")
        #expect(signed.recordCount == 3004)
        try await server.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        let changes = await Self.xfr(server.port, "IXFR", serial: 7, key: Self.goodKey, edns: true)
        #expect(changes.ok && changes.records.count == 8 && changes.messages?.allSatisfy { $0.tsig && $0.edns } == true, "\(changes)")

        let unsigned = await Self.xfr(server.port, "AXFR")
        #expect(unsigned.messages?.first?.rcode == Int(RCode.refused), "\(unsigned)")
        let wrongSecret = await Self.xfr(server.port, "AXFR", key: "transfer-key:hmac-sha256:\(Data(repeating: 9, count: 32).base64EncodedString())")
        #expect(wrongSecret.error?.hasPrefix("PeerBadSignature") == true, "\(wrongSecret)")
        let unknown = await Self.xfr(server.port, "AXFR", key: "other-key:hmac-sha256:\(Self.secret)")
        #expect(unknown.error?.hasPrefix("PeerBadKey") == true, "\(unknown)")
        let wrongAlgorithm = await Self.xfr(server.port, "AXFR", key: "transfer-key:hmac-sha512:\(Self.secret)")
        #expect(wrongAlgorithm.error?.hasPrefix("PeerBadKey") == true, "\(wrongAlgorithm)")
        let skewed = await Exchange.run(["xfr", "127.0.0.1", "\(server.port)", "lifeboat.test.", "AXFR", "--key", Self.goodKey, "--skew", "1000"])
        #expect(skewed.error?.hasPrefix("PeerBadTime") == true, "\(skewed)")

        let events = server.server.eventCounts()
        #expect(events[DNSEvent.tsigRefused(nil)] == 1 && events[DNSEvent.tsigRefused(TSIG.badSig)] == 1 && events[DNSEvent.tsigRefused(TSIG.badKey)] == 2
                && events[DNSEvent.tsigRefused(TSIG.badTime)] == 1, "\(events)")
        await server.stop()
    }

    @Test("TSIG: a signed SOA query over UDP and TCP (a secondary's refresh) is answered signed; dig -y verifies it too")
    func tsigQueries() async throws {
        let server = try await Self.keyedServer()
        for transport in [[], ["--tcp"]] {
            let answer = await Exchange.run(["query", "127.0.0.1", "\(server.port)", "lifeboat.test.", "SOA", "--key", Self.goodKey] + transport)
            #expect(answer.ok && answer.messages?.first?.tsig == true && answer.records.count == 1, "\(transport): \(answer)")
        }
        let dig = Lab.run("/usr/bin/dig", ["@127.0.0.1", "-p", "\(server.port)", "-y", "hmac-sha256:transfer-key:\(Self.secret)",
                                           "+nocookie", "lifeboat.test", "SOA"]).output
        #expect(dig.contains("TSIG PSEUDOSECTION") && dig.contains("NOERROR") && !dig.contains("failure"), "\(dig)")
        let bad = Lab.run("/usr/bin/dig", ["@127.0.0.1", "-p", "\(server.port)", "-y", "hmac-sha256:transfer-key:\(Data(repeating: 1, count: 32).base64EncodedString())",
                                           "+nocookie", "lifeboat.test", "SOA"]).output
        #expect(bad.contains("NOTAUTH") && bad.contains("BADSIG"), "\(bad)")
        await server.stop()
    }

    @Test("an OPT in every message of an AXFR or IXFR when the request had one, and in the FORMERR to a query without a question, as NSD does")
    func optRecords() async throws {
        let nsd = try NSDInstance(zones: ["lifeboat.test.": testZoneText])
        defer { nsd.stop() }
        #expect(await nsd.waitUntilAnswering("lifeboat.test"), "NSD did not start: \(nsd.log)")
        let server = try await TestServer.start()
        try await server.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        for port in [server.port, nsd.port] {
            for exchange in [await Self.xfr(port, "AXFR", edns: true), await Self.xfr(port, "IXFR", serial: 7, edns: true)] {
                #expect(exchange.ok && exchange.messages?.allSatisfy(\.edns) == true, "port \(port): \(exchange)")
            }
            #expect(await Self.xfr(port, "AXFR").messages?.contains(where: \.edns) == false, "no OPT unasked")
            #expect(await Self.xfr(port, "AXFR", edns: true).records.count > 10, "port \(port) transfers")
            let none = await Exchange.run(["noquestion", "127.0.0.1", "\(port)"])
            #expect(none.messages?.first?.edns == true, "port \(port): \(none)")
        }
        #expect(await Exchange.run(["noquestion", "127.0.0.1", "\(server.port)"]).messages?.first?.rcode == Int(RCode.formErr))
        await server.stop()
    }
}

/// Knot DNS and BIND 9 as secondaries of Lifeboat with TSIG: each transfers the zone, follows
/// a failover by NOTIFY and IXFR (Lifeboat counts an incremental transfer, and the secondary's
/// log says IXFR), and one with a wrong secret gets nothing and is counted as BADSIG.
@Suite("Real secondaries with TSIG: Knot and BIND", .serialized)
struct TSIGSecondaryTests {
    static let key = SecondaryInstance.Key(name: "transfer-key", algorithm: "hmac-sha256", secret: TransferTests.secret)

    static func follow(_ kind: SecondaryInstance.Kind) async throws {
        let port = FreePort.tcpAndUDP()
        let server = try await TestServer.start(
            allowTransfer: [], notify: [LifeboatConfig.SocketAddress("127.0.0.1:\(port)")!], keys: [TransferTests.key],
            keyedTransfer: [TransferPermission(network: try IPNetwork.parse("127.0.0.0/8").get(), key: TransferTests.key.name)],
            notifyKey: TransferTests.key)
        let secondary = try SecondaryInstance(kind, zone: "lifeboat.test", primaryPort: server.port, key: key, port: port)
        defer { secondary.stop() }
        #expect(await eventually(within: .seconds(20)) { secondary.serial(of: "lifeboat.test") == "7" }, "\(kind) never loaded the zone: \(secondary.log.suffix(3000))")

        try await server.authority.replaceAddresses(of: [TransferTests.www], with: TransferTests.standby, ttl: 5)
        #expect(await eventually(within: .seconds(20)) { secondary.serial(of: "lifeboat.test") == "8" }, "\(kind) did not follow: \(secondary.log.suffix(3000))")
        #expect(secondary.answer("www.lifeboat.test", "A") == ["198.51.100.20"])
        #expect(server.server.eventCounts()[.transfer(.incremental)] == 1, "\(server.server.eventCounts())")
        // What each says it did (their own words, read from their logs at debug level).
        let said = kind == .knot
            ? ["IXFR, incoming, remote 127.0.0.1@\(server.port), finished", "action notify, remote 127.0.0.1", "key 'transfer-key.'"]
            : ["requesting IXFR for serial 7", "transferred serial 8: TSIG 'transfer-key'", "received notify for zone 'lifeboat.test': TSIG 'transfer-key'"]
        for line in said { #expect(secondary.log.contains(line), "\(kind) did not say \(line): \(secondary.log.suffix(3000))") }
        await server.stop()
    }

    @Test("Knot DNS transfers with TSIG and follows a failover by NOTIFY + IXFR")
    func knot() async throws { try await Self.follow(.knot) }

    @Test("BIND 9 transfers with TSIG and follows a failover by NOTIFY + IXFR")
    func bind() async throws { try await Self.follow(.bind) }

    @Test("a secondary with a wrong secret gets no zone; Lifeboat answers it BADSIG and counts it")
    func wrongKey() async throws {
        let server = try await TestServer.start(
            allowTransfer: [], keys: [TransferTests.key],
            keyedTransfer: [TransferPermission(network: try IPNetwork.parse("127.0.0.0/8").get(), key: TransferTests.key.name)])
        var wrong = Self.key
        wrong.secret = Data(repeating: 5, count: 32).base64EncodedString()
        let secondary = try SecondaryInstance(.knot, zone: "lifeboat.test", primaryPort: server.port, key: wrong)
        defer { secondary.stop() }
        #expect(await eventually(within: .seconds(20)) { (server.server.eventCounts()[DNSEvent.tsigRefused(TSIG.badSig)] ?? 0) > 0 },
                "\(server.server.eventCounts()) \(secondary.log.suffix(2000))")
        #expect(secondary.serial(of: "lifeboat.test") == nil, "it serves a zone it could not verify")
        #expect(server.server.eventCounts()[.transfer(.axfr)] == nil)
        await server.stop()
    }
}
