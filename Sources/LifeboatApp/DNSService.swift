import DNSServer
import ServiceLifecycle

/// Runs the DNS server until graceful shutdown: binds, waits, closes the sockets.
struct DNSService: Service {
    let server: DNSServer

    func run() async throws {
        try await server.start()
        try? await gracefulShutdown()
        await server.stop()
    }
}
