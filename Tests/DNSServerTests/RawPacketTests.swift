import DNSZone
import Testing

/// What dig cannot send: malformed packets, responses, pipelined TCP, idle and surplus connections.
@Suite("Raw packets, TCP pipelining, idle timeout and connection limit")
struct RawPacketTests {
    static func query(_ name: String, _ type: UInt16, id: UInt16) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") { bytes += [UInt8(label.utf8.count)] + Array(label.utf8) }
        return bytes + [0, UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
    }

    @Test("malformed packets get FORMERR or silence, and the server keeps answering")
    func malformed() async throws {
        let server = try await TestServer.start()
        let good = Self.query("www.lifeboat.test", RRType.a, id: 7)
        let corpus: [[UInt8]] = [
            [1, 2, 3],
            Array(good.prefix(12)) + [0xC0, 12, 0, 1, 0, 1],
            { var q = good; q[5] = 0; return q }(),
            { var q = good; q[5] = 2; return q }(),
            [0, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 70] + [UInt8](repeating: 97, count: 70) + [0, 0, 1, 0, 1],
            Array(good.prefix(good.count - 3)),
            { var q = good; q[11] = 1; q += [0xC0, UInt8(q.count), 0, 41, 0, 1, 0, 0, 0, 0, 0, 0]; return q }(),
        ]
        for packet in corpus {
            if let reply = SocketClient.udp(packet, port: server.port, timeoutMilliseconds: 300) {
                #expect(reply.count == 12 && reply[3] & 0x0F == 1, "\(packet) got \(reply)")
            } else {
                #expect(packet.count < 12, "no reply to a packet with a header: \(packet)")
            }
        }
        var response = good
        response[2] |= 0x80
        #expect(SocketClient.udp(response, port: server.port, timeoutMilliseconds: 300) == nil, "a response must never be answered")
        #expect(SocketClient.udp(good, port: server.port).flatMap(DecodedMessage.decode)?.answer.count == 2)
        await server.stop()
    }

    @Test("pipelined TCP queries are answered in order")
    func pipelining() async throws {
        let server = try await TestServer.start()
        let queries = (1...5).map { Self.query($0 % 2 == 0 ? "www.lifeboat.test" : "mail.lifeboat.test", RRType.a, id: UInt16($0)) }
        let replies = try #require(SocketClient.tcp(queries, port: server.port))
        #expect(replies.compactMap(DecodedMessage.decode).map(\.id) == [1, 2, 3, 4, 5])
        #expect(replies.compactMap(DecodedMessage.decode).map(\.answer.count) == [1, 2, 1, 2, 1])
        await server.stop()
    }

    @Test("an idle TCP connection is closed after the idle timeout")
    func idleTimeout() async throws {
        let server = try await TestServer.start(idleTimeout: .milliseconds(300))
        let connection = try #require(SocketClient.TCPConnection(port: server.port))
        #expect(connection.send([Self.query("www.lifeboat.test", RRType.a, id: 1)]))
        #expect(connection.receive() != nil)
        // Without the timeout the connection stays open forever; the generous bound keeps a loaded
        // machine (the suites run in parallel) from failing it.
        #expect(connection.closedByPeer(withinMilliseconds: 5000))
        await server.stop()
    }

    @Test("connections beyond the limit are closed; those within it are served")
    func connectionLimit() async throws {
        let server = try await TestServer.start(maxConnections: 2)
        let first = try #require(SocketClient.TCPConnection(port: server.port))
        let second = try #require(SocketClient.TCPConnection(port: server.port))
        #expect(first.send([Self.query("www.lifeboat.test", RRType.a, id: 1)]) && first.receive() != nil)
        #expect(second.send([Self.query("www.lifeboat.test", RRType.a, id: 2)]) && second.receive() != nil)
        let third = try #require(SocketClient.TCPConnection(port: server.port))
        #expect(third.closedByPeer(withinMilliseconds: 1000))
        await server.stop()
    }
}
