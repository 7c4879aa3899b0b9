import DNSQuery
import DNSZone
import Glibc
import Testing

/// The UDP worker threads: answers from every worker, counts exact by response code.
@Suite("UDP workers")
struct UDPWorkerTests {
    @Test("four workers answer clients on many sockets; the per-rcode counts are exact, drops included")
    func countsAcrossWorkers() async throws {
        let server = try await TestServer.start(udpWorkers: 4)
        defer { Task { await server.stop() } }
        var expected = QueryCounts()
        // Each exchange from a socket of its own, so SO_REUSEPORT spreads them over the workers.
        for round in 0..<25 {
            for (name, type, rcode) in [("www.lifeboat.test", RRType.a, 0), ("nope.lifeboat.test", RRType.a, 3),
                                        ("www.example.org", RRType.a, 5)] {
                let reply = SocketClient.udp(RawPacketTests.query(name, type, id: UInt16(round)), port: server.port)
                #expect(reply.map { Int($0[3] & 0x0F) } == rcode, "\(name)")
                expected.record(rcode: UInt8(rcode))
            }
        }
        // A response (QR=1) is dropped unanswered; the query after it on the same socket (the
        // same worker, in order) is answered, so by then the drop is counted too.
        let (descriptor, _) = try #require(SocketClient.boundLoopbackSocket(SOCK_DGRAM))
        defer { close(descriptor) }
        var address = SocketClient.loopback(server.port)
        func send(_ packet: [UInt8]) {
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var response = RawPacketTests.query("www.lifeboat.test", RRType.a, id: 9)
        response[2] |= 0x80
        send(response)
        send(RawPacketTests.query("www.lifeboat.test", RRType.a, id: 10))
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&poller, 1, 2000) == 1)
        var buffer = [UInt8](repeating: 0, count: 2048)
        #expect(recv(descriptor, &buffer, buffer.count, 0) > 12 && buffer[1] == 10)
        expected.recordDropped()
        expected.record(rcode: 0)
        let counts = await server.server.queryCounts()
        #expect(counts["udp"] == expected, "\(counts["udp"]?.counts ?? [])")
    }
}
