import Foundation
import Glibc
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

    @Test("at the connection limit the connection idle longest is closed to admit a new one")
    func connectionLimit() async throws {
        let server = try await TestServer.start(maxConnections: 2)
        let first = try #require(SocketClient.TCPConnection(port: server.port, from: "127.0.0.2"))
        #expect(first.send([Self.query("www.lifeboat.test", RRType.a, id: 1)]) && first.receive() != nil)
        let second = try #require(SocketClient.TCPConnection(port: server.port, from: "127.0.0.3"))
        #expect(second.send([Self.query("www.lifeboat.test", RRType.a, id: 2)]) && second.receive() != nil)
        let third = try #require(SocketClient.TCPConnection(port: server.port, from: "127.0.0.4"))
        #expect(third.send([Self.query("www.lifeboat.test", RRType.a, id: 3)]) && third.receive() != nil, "the new one is served")
        #expect(first.closedByPeer(withinMilliseconds: 2000), "the one idle longest made room")
        #expect(second.send([Self.query("www.lifeboat.test", RRType.a, id: 4)]) && second.receive() != nil, "the other stays")
        #expect(server.server.eventCounts()[.tcpClosed("evicted")] == 1)
        await server.stop()
    }

    @Test("a client at tcp_max_per_client is refused another connection; other clients are not")
    func perClientLimit() async throws {
        let server = try await TestServer.start(maxPerClient: 2)
        let connections = (0..<2).compactMap { _ in SocketClient.TCPConnection(port: server.port, from: "127.0.0.2") }
        for (index, connection) in connections.enumerated() {
            #expect(connection.send([Self.query("www.lifeboat.test", RRType.a, id: UInt16(index))]) && connection.receive() != nil)
        }
        let third = try #require(SocketClient.TCPConnection(port: server.port, from: "127.0.0.2"))
        #expect(third.closedByPeer(withinMilliseconds: 2000))
        let other = try #require(SocketClient.TCPConnection(port: server.port, from: "127.0.0.3"))
        #expect(other.send([Self.query("www.lifeboat.test", RRType.a, id: 9)]) && other.receive() != nil)
        #expect(server.server.eventCounts()[.tcpClosed("per_client")] == 1)
        await server.stop()
    }

    @Test("150 clients trickling a byte every 4 s hold no slot a fresh client needs: its TCP query is answered, again and again; evictions and timeouts counted")
    func trickleFlood() async throws {
        let server = try await TestServer.start()  // defaults: 10 s, 100 connections, 10 per client
        let query = Self.query("www.lifeboat.test", RRType.a, id: 7)
        let bytes = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query
        let port = server.port
        // Blocking sockets for 14 s: on a thread of its own, not the test pool's (others run beside it).
        // What is proved here: no fresh client is refused or left unanswered (before, each was reset
        // once 100 slots were held), and four in five are answered within 1 s: a loaded CI machine
        // (three lab groups beside) stalls a second now and then, so the rest get a 5 s bound.
        let (tricklers, answered, failures, slow) = await withCheckedContinuation { (done: CheckedContinuation<(Int, Int, Int, Int), Never>) in
            Thread {
                let tricklers = (1...150).compactMap { SocketClient.TCPConnection(port: port, from: "127.0.1.\($0)") }
                let started = ContinuousClock.now
                var nextTrickle = started, position = 0, answered = 0, failures = 0, slow = 0
                while ContinuousClock.now - started < .seconds(14) {
                    if ContinuousClock.now >= nextTrickle {
                        for trickler in tricklers { _ = trickler.sendRaw([bytes[position % bytes.count]]) }
                        position += 1
                        nextTrickle += .seconds(4)
                    }
                    let asked = ContinuousClock.now
                    let fresh = SocketClient.TCPConnection(port: port)
                    if let fresh, fresh.send([query]), fresh.receive(timeoutMilliseconds: 5000) != nil {
                        answered += 1
                        if ContinuousClock.now - asked > .seconds(1) { slow += 1 }
                    } else {
                        failures += 1
                    }
                    usleep(400_000)
                }
                done.resume(returning: (tricklers.count, answered, failures, slow))
            }.start()
        }
        #expect(tricklers == 150)
        #expect(failures == 0 && answered >= 15, "\(failures) fresh queries unanswered within 5 s of \(failures + answered) (\(slow) over 1 s)")
        #expect(slow * 5 <= answered, "\(slow) of \(answered) fresh queries answered after more than 1 s")
        let events = server.server.eventCounts()
        #expect((events[.tcpClosed("evicted")] ?? 0) >= 50, "\(events)")
        #expect((events[.tcpClosed("timeout")] ?? 0) >= 1, "the tricklers' messages never completed in 10 s: \(events)")
        await server.stop()
    }

    @Test("a message must be whole within the idle timeout of its first byte: a byte now and then does not hold the slot")
    func trickleClosed() async throws {
        let server = try await TestServer.start(idleTimeout: .milliseconds(800))
        let trickler = try #require(SocketClient.TCPConnection(port: server.port, from: "127.0.0.2"))
        let started = ContinuousClock.now
        var closed = false
        // A real query, one byte every 200 ms: each byte restarted the old idle timer, so the
        // connection lived as long as the client liked.
        let query = Self.query("www.lifeboat.test", RRType.a, id: 7)
        let bytes = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query
        for byte in bytes + bytes where !closed {
            _ = trickler.sendRaw([byte])
            closed = trickler.closedByPeer(withinMilliseconds: 200)
        }
        #expect(closed, "still open after \(bytes.count * 2) bytes at 5 a second")
        #expect(ContinuousClock.now - started < .seconds(6))
        #expect(server.server.eventCounts()[.tcpClosed("timeout")] == 1)
        await server.stop()
    }
}
