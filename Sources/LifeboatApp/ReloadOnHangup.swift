import DNSServer
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the zone files on each SIGHUP until graceful shutdown.
struct ReloadOnHangup: Service {
    let authority: ZoneAuthority
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                logger.notice("dns.reload.requested")
                do {
                    let errors = try await authority.reload()
                    logger.notice("dns.reload.done", metadata: ["dns.rejected_files": "\(errors.count)"])
                } catch {
                    logger.error("dns.reload.failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
