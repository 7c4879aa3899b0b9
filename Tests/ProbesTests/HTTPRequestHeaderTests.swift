import Foundation
import Glibc
import LifeboatTestSupport
import LifeboatConfig
import NativeClients
import NIOPosix
import Probes
import Synchronization
import Testing

/// A one-shot HTTP server on 127.0.0.1: accepts one connection on a thread of its own, started
/// at once (not from a task, which a busy cooperative pool may start too late), keeps the
/// request, answers 200.
final class CapturingServer: Sendable {
    let listener: LoopbackListener
    var port: UInt16 { listener.port }
    private let captured = Mutex<String?>(nil)

    init() throws {
        listener = try LoopbackListener(backlog: 4)
        let descriptor = listener.descriptor
        Thread.detachNewThread { [self] in
            let client = accept(descriptor, nil, nil)
            var request: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
                let count = recv(client, &buffer, buffer.count, 0)
                if count <= 0 { break }
                request += buffer[0..<count]
            }
            self.captured.withLock { $0 = String(decoding: request, as: UTF8.self) }
            let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nsite=proof\n".utf8)
            _ = send(client, reply, reply.count, 0)
            close(client)
        }
    }

    /// The request's text, once one came.
    var request: String? { captured.withLock { $0 } }
}

@Suite("What the HTTP probe sends")
struct HTTPRequestHeaderTests {
    @Test("Host from the URL while connecting to the pinned address; Lifeboat's User-Agent; no cache may answer")
    func headers() async throws {
        let server = try CapturingServer()
        let curl = try CurlMulti()
        defer { curl.shutdown() }
        let factory = ProbeFactory(curl: curl, mysql: PooledMySQLConnector(pool: .singleton), group: MultiThreadedEventLoopGroup.singleton)
        let probe = factory.probe(for: CheckSettings(name: "web", timeout: .seconds(2), kind: .http(HTTPCheckSettings(
            url: "http://www.example.com/health?full=1",
            connectTo: LifeboatConfig.SocketAddress(address: IPAddress("127.0.0.1")!, port: server.port),
            expectStatus: [], expectBody: "site=proof", expectBodyRegex: nil, caFile: nil, insecure: false))), maxLag: nil)
        let result = await probe.run()
        let request = server.request ?? ""
        #expect(result.success, "\(result)")
        #expect(request.hasPrefix("GET /health?full=1 HTTP/1.1\r\n"), "\(request)")
        #expect(request.contains("\r\nHost: www.example.com\r\n"))
        #expect(request.contains("\r\nUser-Agent: Lifeboat/\(ProbeIdentity.version) (health check)\r\n"))
        #expect(request.contains("\r\nCache-Control: no-cache\r\n") && request.contains("\r\nPragma: no-cache\r\n"))
    }
}
