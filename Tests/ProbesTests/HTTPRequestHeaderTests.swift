import Foundation
import Glibc
import LifeboatConfig
import NativeClients
import NIOPosix
import Probes
import Testing

/// A one-shot HTTP server on 127.0.0.1: accepts one connection, keeps the request, answers 200.
final class CapturingServer: @unchecked Sendable {  // the descriptor is used by one thread at a time
    let descriptor: Int32
    let port: UInt16

    init() {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(descriptor, 4)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }

    /// Serves one request on a thread of its own; returns the request's text.
    func captureOne() async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let client = accept(self.descriptor, nil, nil)
                var request: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
                    let count = recv(client, &buffer, buffer.count, 0)
                    if count <= 0 { break }
                    request += buffer[0..<count]
                }
                let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nsite=proof\n".utf8)
                _ = send(client, reply, reply.count, 0)
                close(client)
                continuation.resume(returning: String(decoding: request, as: UTF8.self))
            }
        }
    }
}

@Suite("What the HTTP probe sends")
struct HTTPRequestHeaderTests {
    @Test("Host from the URL while connecting to the pinned address; Lifeboat's User-Agent; no cache may answer")
    func headers() async throws {
        let server = CapturingServer()
        async let captured = server.captureOne()
        let curl = try CurlMulti()
        defer { curl.shutdown() }
        let pool = NIOThreadPool(numberOfThreads: 1)
        let factory = ProbeFactory(curl: curl, pool: pool, group: MultiThreadedEventLoopGroup.singleton)
        let probe = factory.probe(for: CheckSettings(name: "web", timeout: .seconds(2), kind: .http(HTTPCheckSettings(
            url: "http://www.example.com/health?full=1",
            connectTo: LifeboatConfig.SocketAddress(address: IPAddress("127.0.0.1")!, port: server.port),
            expectStatus: [], expectBody: "site=proof", expectBodyRegex: nil, caFile: nil, insecure: false))), maxLag: nil)
        let result = await probe.run()
        let request = await captured
        #expect(result.success, "\(result)")
        #expect(request.hasPrefix("GET /health?full=1 HTTP/1.1\r\n"), "\(request)")
        #expect(request.contains("\r\nHost: www.example.com\r\n"))
        #expect(request.contains("\r\nUser-Agent: Lifeboat/\(ProbeIdentity.version) (health check)\r\n"))
        #expect(request.contains("\r\nCache-Control: no-cache\r\n") && request.contains("\r\nPragma: no-cache\r\n"))
    }
}
