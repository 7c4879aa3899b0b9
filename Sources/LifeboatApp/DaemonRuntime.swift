import NativeClients
import DNSServer
import NIOCore
import NIOPosix

/// What the daemon's parts share and what must be shut down once, whichever way it ends: the
/// event loops (TCP DNS, HTTP, TCP checks, NOTIFY), the standby steps' thread pool, curl and
/// the MySQL checks' loop.
final class DaemonRuntime: @unchecked Sendable {
    // @unchecked: `curl` and `mysql` are set once during start-up, before any part runs, and read after.
    /// One event loop per usable core.
    let group = MultiThreadedEventLoopGroup(numberOfThreads: CPUAffinity.usableCores)
    /// The blocking MariaDB calls of the standby's steps; commands and checks never run here.
    let pool: NIOThreadPool
    private var curl: CurlMulti?
    private var mysql: MariaDBLoop?

    init() {
        pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
    }

    /// Starts the shared curl multi handle and the MySQL checks' loop.
    func startClients() throws -> (CurlMulti, MariaDBLoop) {
        let multi = try CurlMulti()
        curl = multi
        let loop = try MariaDBLoop()
        mysql = loop
        return (multi, loop)
    }

    /// Stops curl, the MySQL loop, the pool and the event loops.
    func shutdown() async {
        curl?.shutdown()
        mysql?.shutdown()
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
