import DNSAuthority
import DNSQuery
@testable import DNSServer
import DNSZone
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import Testing

/// The TCP handler on an `EmbeddedChannel`: frames in, frames out, no socket.
@Suite("TCP handler on an EmbeddedChannel")
struct TCPHandlerTests {
    static func channel() throws -> EmbeddedChannel {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let state = NSTemporaryDirectory() + "lifeboat-state-\(UUID().uuidString)"
        let authority = try ZoneAuthority(zonesDirectory: try makeZonesDirectory(), stateDirectory: state, logger: logger)
        try? FileManager.default.removeItem(atPath: state)
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSFrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(TCPQueryHandler(
            store: authority.store, policy: TransferPolicy(allowed: []), keys: [],
            limiter: ConnectionLimiter(limit: 4, perClient: 4, events: DNSEventCounter()), counts: SharedQueryCounts(), events: DNSEventCounter()))
        channel.pipeline.fireChannelActive()
        return channel
    }

    /// Sends `message` with its two-byte length; returns the answers' messages, unframed.
    static func exchange(_ channel: EmbeddedChannel, _ message: [UInt8]) throws -> [[UInt8]] {
        var frame = channel.allocator.buffer(capacity: message.count + 2)
        frame.writeInteger(UInt16(message.count))
        frame.writeBytes(message)
        try channel.writeInbound(frame)
        var answers: [[UInt8]] = []
        while var out = try channel.readOutbound(as: ByteBuffer.self) {
            guard let length = out.readInteger(as: UInt16.self), let bytes = out.readBytes(length: Int(length)) else { break }
            answers.append(bytes)
        }
        return answers
    }

    @Test("two pipelined queries in one write get two answers, in order")
    func pipelined() throws {
        let channel = try Self.channel()
        let first = RawPacketTests.query("www.lifeboat.test", RRType.a, id: 1)
        let second = RawPacketTests.query("www.lifeboat.test", RRType.aaaa, id: 2)
        var frame = channel.allocator.buffer(capacity: 256)
        for message in [first, second] {
            frame.writeInteger(UInt16(message.count))
            frame.writeBytes(message)
        }
        try channel.writeInbound(frame)
        var ids: [UInt16] = []
        while var out = try channel.readOutbound(as: ByteBuffer.self) {
            _ = out.readInteger(as: UInt16.self)
            if let id = out.readInteger(as: UInt16.self) { ids.append(id) }
        }
        #expect(ids == [1, 2])
    }

    @Test("AXFR from an address not allowed: REFUSED, the question echoed, QR and RD from the one header writer")
    func refusedTransfer() throws {
        let channel = try Self.channel()
        var query = RawPacketTests.query("lifeboat.test", 252, id: 0x4242)
        query[2] |= 0x01  // RD
        let answers = try Self.exchange(channel, query)
        let answer = try #require(answers.first)
        #expect(answers.count == 1)
        #expect(Array(answer[0..<2]) == [0x42, 0x42])
        #expect(answer[2] == 0x81, "QR, opcode 0, RD copied")
        #expect(answer[3] == 5, "REFUSED")
        #expect(Array(answer[4..<12]) == [0, 1, 0, 0, 0, 0, 0, 0])
        #expect(Array(answer[12...]) == Array(query[12...]), "the question, as asked")
    }
}
