import Foundation
import LifeboatTestSupport
import Glibc
import NIOConcurrencyHelpers

/// A webhook receiver on 127.0.0.1: a real HTTP/1.1 listener on its own thread that answers
/// every request `200 OK` (or `503` for the first `failFirst` ones) and keeps the POST bodies.
final class WebhookReceiver: @unchecked Sendable {
    let port: UInt16
    private let listener: LoopbackListener
    private let bodies = NIOLockedValueBox<[String]>([])
    private let failures = NIOLockedValueBox(0)
    private var thread: Thread?

    init(failFirst: Int = 0) throws {
        listener = try LoopbackListener()
        port = listener.port
        failures.withLockedValue { $0 = failFirst }
        let descriptor = listener.descriptor
        let bodies = self.bodies
        let failures = self.failures
        thread = Thread {
            while true {
                let client = accept(descriptor, nil, nil)
                if client < 0 { return }
                let body = Self.readRequest(client)
                let fail = failures.withLockedValue { count -> Bool in
                    defer { count = max(0, count - 1) }
                    return count > 0
                }
                if !fail, let body { bodies.withLockedValue { $0.append(body) } }
                let response = fail ? "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                _ = response.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
        thread?.start()
    }

    /// The bodies received so far.
    var received: [String] { bodies.withLockedValue { $0 } }

    private static func readRequest(_ client: Int32) -> String? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while true {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            data += buffer[0..<count]
            let text = String(decoding: data, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { continue }
            let header = text[..<end.lowerBound].lowercased()
            let length = header.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = text[end.upperBound...]
            if body.utf8.count >= length { return String(body) }
        }
    }
}

/// `$NOTIFY_SOCKET` for a test: a bound Unix datagram socket collecting what the daemon sends.
final class NotifySocketReceiver: @unchecked Sendable {
    let path: String
    private let descriptor: Int32

    init() throws {
        path = NSTemporaryDirectory() + "notify-\(UUID().uuidString.prefix(8)).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {  // deinit closes the socket
            throw TestSupportError("cannot bind \(path): \(String(cString: strerror(errno)))")
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Datagrams until one contains `text` (returned with all before it), or nil after `seconds`.
    func waitFor(_ text: String, seconds: Double = 10) -> [String]? {
        var seen: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            seen.append(message)
            if message.split(separator: "\n").contains(where: { $0 == text || $0.hasPrefix(text) }) { return seen }
        }
        return nil
    }
}
