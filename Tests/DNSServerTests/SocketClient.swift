import Foundation
import Glibc

/// A minimal blocking DNS client for tests: one UDP exchange, or pipelined TCP.
enum SocketClient {
    /// Sends `packet` over UDP to 127.0.0.1:`port`; the reply, or nil after `timeoutMilliseconds`.
    static func udp(_ packet: [UInt8], port: Int, timeoutMilliseconds: Int = 2000) -> [UInt8]? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, send(descriptor, packet, packet.count, 0) == packet.count else { return nil }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeoutMilliseconds)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65535)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? Array(buffer[0..<count]) : nil
    }

    /// An open TCP connection to 127.0.0.1:`port`.
    final class TCPConnection {
        let descriptor: Int32

        /// Connects from `source` (another loopback address stands for another client).
        init?(port: Int, from source: String = "127.0.0.1") {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var local = SocketClient.loopback(0)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound != 0 { close(descriptor); return nil }
            var address = SocketClient.loopback(port)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if connected != 0 { close(descriptor); return nil }
        }

        deinit { close(descriptor) }

        /// Writes all packets in one go, each with its length prefix (pipelining).
        func send(_ packets: [[UInt8]]) -> Bool {
            let bytes = packets.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
            return Glibc.send(descriptor, bytes, bytes.count, 0) == bytes.count
        }

        /// Reads one length-prefixed message; nil on close or timeout.
        func receive(timeoutMilliseconds: Int = 3000) -> [UInt8]? {
            guard let prefix = read(2, timeoutMilliseconds), prefix.count == 2 else { return nil }
            return read(Int(prefix[0]) << 8 | Int(prefix[1]), timeoutMilliseconds)
        }

        /// Writes raw bytes (a message's first bytes, a trickle).
        func sendRaw(_ bytes: [UInt8]) -> Bool {
            Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count
        }

        /// Whether the server closed the connection within the time.
        func closedByPeer(withinMilliseconds limit: Int) -> Bool {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(limit)) == 1 else { return false }
            var byte: UInt8 = 0
            return recv(descriptor, &byte, 1, 0) == 0
        }

        private func read(_ count: Int, _ timeout: Int) -> [UInt8]? {
            var bytes: [UInt8] = []
            while bytes.count < count {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, Int32(timeout)) == 1 else { return nil }
                var buffer = [UInt8](repeating: 0, count: count - bytes.count)
                let received = recv(descriptor, &buffer, buffer.count, 0)
                guard received > 0 else { return nil }
                bytes += buffer[0..<received]
            }
            return bytes
        }
    }

    /// One TCP exchange per packet, pipelined on one connection.
    static func tcp(_ packets: [[UInt8]], port: Int) -> [[UInt8]]? {
        guard let connection = TCPConnection(port: port), connection.send(packets) else { return nil }
        var replies: [[UInt8]] = []
        for _ in packets {
            guard let reply = connection.receive() else { return nil }
            replies.append(reply)
        }
        return replies
    }

    /// A socket of `type` bound to 127.0.0.1:`port` (0: any) and the port it got; nil if taken.
    static func boundLoopbackSocket(_ type: __socket_type, port: Int = 0) -> (descriptor: Int32, port: Int)? {
        let descriptor = socket(AF_INET, Int32(type.rawValue), 0)
        var address = loopback(port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { close(descriptor); return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}

/// Runs blocking `work` (sockets, a child process) on a thread of its own, so the tests that run
/// beside it keep the cooperative pool.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { done in
        Thread { done.resume(returning: work()) }.start()
    }
}
