import NativeClients
import DNSServer
import NIOCore
import NIOPosix

/// What the daemon's parts share and what must be shut down once, whichever way it ends: the
/// event loops (DNS, HTTP, TCP checks, NOTIFY), the MySQL checks' thread pool and curl.
final class DaemonRuntime: @unchecked Sendable {
    // @unchecked: `curl` is set once during start-up, before any part runs, and read after.
    /// One event loop per usable core.
    let group = MultiThreadedEventLoopGroup(numberOfThreads: CPUAffinity.usableCores)
    /// The blocking MariaDB calls of the checks and steps; commands never run here.
    let pool: NIOThreadPool
    private var curl: CurlMulti?

    init() {
        pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
    }

    /// Starts the shared curl multi handle.
    func startCurl() throws -> CurlMulti {
        let multi = try CurlMulti()
        curl = multi
        return multi
    }

    /// Stops curl, the pool and the event loops.
    func shutdown() async {
        curl?.shutdown()
        try? await pool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// A part of the daemon that could not start (or failed while running): the log event to
/// report it under, and why.
struct StartFailure: Error {
    let event: String
    let error: any Error

    /// Runs `body`, reporting its error as `event`.
    static func naming<T>(_ event: String, _ body: () throws -> T) throws(StartFailure) -> T {
        do { return try body() } catch { throw StartFailure(event: event, error: error) }
    }

    /// Runs `body`, reporting its error as `event`.
    static func naming<T>(_ event: String, _ body: () async throws -> T) async throws(StartFailure) -> T {
        do { return try await body() } catch { throw StartFailure(event: event, error: error) }
    }
}
