import DomainNames
import DNSServer
import LifeboatTestSupport
import DNSZone
import Foundation
import LifeboatConfig
import NIOConcurrencyHelpers
import Testing

/// A flag one thread sets and another reads.
final class LockedFlag: Sendable {
    private let value = NIOLockedValueBox(false)
    func set() { value.withLockedValue { $0 = true } }
    var isSet: Bool { value.withLockedValue { $0 } }
}

/// Owner swaps, serials, persistence across restarts, SIGHUP-style reloads, and a real
/// secondary (NSD) following Lifeboat through NOTIFY and AXFR.
@Suite("Zone changes: swaps, serials, persistence, reload, secondaries")
struct ZoneChangeTests {
    static let www = DNSName("www.lifeboat.test.")!
    static let standby: [[UInt8]] = [IPAddress("198.51.100.20")!.bytes, IPAddress("2001:db8:1::20")!.bytes]

    static func ask(_ name: String, _ type: UInt16, port: Int) -> DecodedMessage? {
        SocketClient.udp(RawPacketTests.query(name, type, id: 9), port: port).flatMap(DecodedMessage.decode)
    }

    static func serial(port: Int) -> String? {
        ask("lifeboat.test", RRType.soa, port: port)?.answer.first?.split(separator: " ")[6].description
    }

    @Test("a swap replaces both A and AAAA at once and bumps the serial")
    func swap() async throws {
        let server = try await TestServer.start()
        #expect(Self.serial(port: server.port) == "7")
        let serials = try await server.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        #expect(serials == [DNSName("lifeboat.test.")!: 8])
        #expect(Self.ask("www.lifeboat.test", RRType.a, port: server.port)?.answer == ["www.lifeboat.test. 5 in a 198.51.100.20"])
        #expect(Self.ask("www.lifeboat.test", RRType.aaaa, port: server.port)?.answer == ["www.lifeboat.test. 5 in aaaa 2001:db8:1::20"])
        #expect(Self.ask("alias.lifeboat.test", RRType.a, port: server.port)?.answer.last == "www.lifeboat.test. 5 in a 198.51.100.20")
        #expect(Self.serial(port: server.port) == "8")
        await server.stop()
    }

    @Test("readers see the old or the new answer, never a mix, while swaps run")
    func atomicSwap() async throws {
        let server = try await TestServer.start()
        let sites: [[[UInt8]]] = [Self.standby, [IPAddress("192.0.2.10")!.bytes, IPAddress("2001:db8::10")!.bytes]]
        // The reader runs on a thread of its own while swaps go on until it is done.
        let done = LockedFlag()
        let reader = Task.detached {
            await withCheckedContinuation { (continuation: CheckedContinuation<Set<String>, Never>) in
                Thread.detachNewThread {
                    var seen = Set<String>()
                    for _ in 0..<2000 {
                        if let answer = Self.ask("www.lifeboat.test", RRType.a, port: server.port)?.answer {
                            seen.insert(answer.joined(separator: "|"))
                        }
                    }
                    done.set()
                    continuation.resume(returning: seen)
                }
            }
        }
        var swaps = 0
        while !done.isSet || swaps < 2 {
            try await server.authority.replaceAddresses(of: [Self.www], with: sites[swaps % 2], ttl: 5)
            swaps += 1
        }
        let seen = await reader.value
        #expect(seen.count >= 2, "the reader should have seen answers from both sites: \(seen)")
        #expect(seen.isSubset(of: ["www.lifeboat.test. 5 in a 198.51.100.20", "www.lifeboat.test. 5 in a 192.0.2.10",
                                   "www.lifeboat.test. 30 in a 192.0.2.10|www.lifeboat.test. 30 in a 192.0.2.11"]), "\(seen)")
        #expect(Self.serial(port: server.port) == String(7 + swaps))
        await server.stop()
    }

    @Test("serial and overrides survive a restart; the serial never goes back, and stays above the file's")
    func persistence() async throws {
        let first = try await TestServer.start()
        try await first.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        try await first.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        await first.stop()
        let state = try String(contentsOfFile: "\(first.stateDirectory)/dns/lifeboat.test.state", encoding: .utf8)
        #expect(state.contains("serial 9\n") && state.contains("override www.lifeboat.test. 5 198.51.100.20 2001:db8:1::20"))

        let second = try await TestServer.start(zonesDirectory: first.zonesDirectory, stateDirectory: first.stateDirectory)
        #expect(Self.serial(port: second.port) == "9")
        #expect(Self.ask("www.lifeboat.test", RRType.a, port: second.port)?.answer == ["www.lifeboat.test. 5 in a 198.51.100.20"])
        await second.stop()

        // The operator raises the file's serial above the saved one: the file wins from then on.
        try testZoneText.replacingOccurrences(of: "hostmaster 7 ", with: "hostmaster 2026112401 ")
            .write(toFile: "\(first.zonesDirectory)/lifeboat.test.zone", atomically: true, encoding: .utf8)
        let third = try await TestServer.start(zonesDirectory: first.zonesDirectory, stateDirectory: first.stateDirectory)
        #expect(Self.serial(port: third.port) == "2026112401")
        try await third.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        #expect(Self.serial(port: third.port) == "2026112402")
        await third.stop()
    }

    @Test("a reload serves the new file with the overrides kept; a broken file keeps the old zone and names the line")
    func reload() async throws {
        let server = try await TestServer.start()
        try await server.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        let path = "\(server.zonesDirectory)/lifeboat.test.zone"
        try (testZoneText + "new IN A 192.0.2.200\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await server.authority.reload().isEmpty)
        #expect(Self.ask("new.lifeboat.test", RRType.a, port: server.port)?.answer == ["new.lifeboat.test. 3600 in a 192.0.2.200"])
        #expect(Self.ask("www.lifeboat.test", RRType.a, port: server.port)?.answer == ["www.lifeboat.test. 5 in a 198.51.100.20"])
        #expect(Self.serial(port: server.port) == "9")

        let lines = testZoneText.split(separator: "\n", omittingEmptySubsequences: false).count
        try (testZoneText + "new IN A 192.0.2.200\nbroken IN A 999.1.1.1\n").write(toFile: path, atomically: true, encoding: .utf8)
        let errors = try await server.authority.reload()
        #expect(errors == [ZoneLoadError(file: path, line: lines + 1, message: "Syntax error, could not parse the RR's rdata")])
        #expect(Self.ask("new.lifeboat.test", RRType.a, port: server.port)?.answer.count == 1, "the old zone keeps serving")
        #expect(Self.serial(port: server.port) == "9")
        await server.stop()
    }

    @Test("NSD as a secondary gets NOTIFY, transfers the zone and serves the new serial and address",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/nsd")))
    func realSecondary() async throws {
        // NSD's port is chosen first so Lifeboat can NOTIFY it; Lifeboat is up before NSD starts,
        // so NSD's first transfer finds it.
        let nsdPort = FreePort.tcpAndUDP()
        let server = try await TestServer.start(notify: [LifeboatConfig.SocketAddress("127.0.0.1:\(nsdPort)")!])
        let nsd = try NSDInstance(zones: ["lifeboat.test.": ""], secondaryOf: server.port, port: nsdPort)
        defer { nsd.stop() }
        // Up to 40 s: on a loaded CI machine NSD itself took 14 s to start (its log said so).
        #expect(await nsd.waitUntilAnswering("lifeboat.test", timeoutSeconds: 40), "NSD never loaded the zone: \(nsd.log)")
        #expect(Self.serial(port: nsd.port) == "7")

        try await server.authority.replaceAddresses(of: [Self.www], with: Self.standby, ttl: 5)
        var followed = false
        for _ in 0..<100 where !followed {
            followed = Self.serial(port: nsd.port) == "8"
            if !followed { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(followed, "NSD did not pick up serial 8 within 10 s: \(nsd.log)")
        #expect(Self.ask("www.lifeboat.test", RRType.a, port: nsd.port)?.answer == ["www.lifeboat.test. 5 in a 198.51.100.20"])
        #expect(nsd.log.contains("notify"), "\(nsd.log)")
        await server.stop()
    }
}

@Suite("Test support: reading dig's SOA answer")
struct DigSerialTests {
    @Test("dig's own error lines are not a serial (a secondary not yet listening once seemed to answer)")
    func errorsAreNotSerials() {
        #expect(NSDInstance.soaSerial(digShort: ";; communications error to 127.0.0.1#5300: connection refused\n;; no servers could be reached\n") == nil)
        #expect(NSDInstance.soaSerial(digShort: "ns.lifeboat.test. hostmaster.lifeboat.test. 7 3600 600 86400 60\n") == "7")
        #expect(NSDInstance.soaSerial(digShort: "") == nil)
    }
}
