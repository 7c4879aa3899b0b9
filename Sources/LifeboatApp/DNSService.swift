import DNSServer
import ServiceLifecycle

/// Runs the DNS server until graceful shutdown: binds, waits, closes the sockets.
struct DNSService: Service {
    let server: DNSServer
    let readiness: Readiness

    func run() async throws {
        try await server.start()
        await readiness.mark("dns")
        try? await gracefulShutdown()
        await server.stop()
    }
}
