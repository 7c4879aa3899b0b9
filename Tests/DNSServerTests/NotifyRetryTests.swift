import DomainNames
@testable import DNSServer
import DNSZone
import Foundation
import Glibc
import LifeboatConfig
import Logging
import Testing

/// NOTIFY is retried until acknowledged, and gives up after its tries.
@Suite("NOTIFY retries")
struct NotifyRetryTests {
    /// A UDP socket on 127.0.0.1 that answers NOTIFYs only from the `answerFrom`-th on.
    final class FakeSecondary: @unchecked Sendable {  // the descriptor is used by one thread at a time
        let descriptor: Int32
        let port: Int

        init() {
            let socket = SocketClient.boundLoopbackSocket(SOCK_DGRAM)!
            descriptor = socket.descriptor
            port = socket.port
        }

        deinit { close(descriptor) }

        /// Runs `serve` on a thread of its own (it blocks in poll, which must not hold a
        /// cooperative-pool thread the code under test needs).
        func serveOnThread(answerFrom: Int, expected: Int, seconds: Double) async -> Int {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(returning: self.serve(answerFrom: answerFrom, expected: expected, seconds: seconds))
                }
            }
        }

        /// Receives until `expected` NOTIFYs (opcode 4) arrived or `seconds` passed, answering from
        /// the `answerFrom`-th on; returns how many arrived.
        func serve(answerFrom: Int, expected: Int, seconds: Double) -> Int {
            var seen = 0
            var buffer = [UInt8](repeating: 0, count: 512)
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let deadline = Date().addingTimeInterval(seconds)
            while seen < expected, Date() < deadline, poll(&poller, 1, 100) >= 0 {
                guard poller.revents & Int16(POLLIN) != 0 else { continue }
                var from = sockaddr_storage()
                var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, &buffer, buffer.count, 0, $0, &fromLength) }
                }
                guard count >= 12, (buffer[2] >> 3) & 0x0F == 4 else { continue }
                seen += 1
                if seen >= answerFrom {
                    var reply = Array(buffer[0..<count])
                    reply[2] |= 0x80
                    _ = withUnsafePointer(to: &from) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, reply, reply.count, 0, $0, fromLength) }
                    }
                    return seen
                }
            }
            return seen
        }
    }

    static func sender(to port: Int) -> (NotifySender, LifeboatConfig.SocketAddress) {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let sender = NotifySender(targets: [LifeboatConfig.SocketAddress](), group: TestServer.group, logger: logger,
                                  timeouts: [.milliseconds(200), .milliseconds(200), .milliseconds(200)])
        return (sender, LifeboatConfig.SocketAddress("127.0.0.1:\(port)")!)
    }

    @Test("an unanswered NOTIFY is sent again, and the answer to a later try ends it")
    func retriedUntilAcknowledged() async {
        let secondary = FakeSecondary()
        let (sender, target) = Self.sender(to: secondary.port)
        async let listener = secondary.serveOnThread(answerFrom: 2, expected: 2, seconds: 10)
        let acknowledged = await sender.notify(target, zone: DNSName("lifeboat.test.")!, serial: 8)
        #expect(acknowledged)
        #expect(await listener == 2)
    }

    @Test("a secondary that never answers gets every try, then NOTIFY gives up")
    func givesUp() async {
        let secondary = FakeSecondary()
        let (sender, target) = Self.sender(to: secondary.port)
        async let listener = secondary.serveOnThread(answerFrom: .max, expected: 3, seconds: 10)
        let started = ContinuousClock.now
        let acknowledged = await sender.notify(target, zone: DNSName("lifeboat.test.")!, serial: 8)
        #expect(!acknowledged)
        #expect(ContinuousClock.now - started >= .milliseconds(600))
        let seen = await listener
        #expect(seen == 3, "saw \(seen)")
    }
}
