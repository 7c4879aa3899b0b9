import DNSServer
import LifeboatConfig
import Logging
import NativeClients
import ServiceLifecycle
import StatusWeb
import UnixSignals

/// On each SIGHUP until graceful shutdown: re-reads the configuration — a bad one is refused
/// with every problem logged and the running one stays — applies what can change live (the
/// control token), names what needs a restart, and re-reads the zone files.
struct ReloadOnHangup: Service {
    let configPath: String
    let initial: LifeboatConfiguration
    let authority: ZoneAuthority
    let token: TokenStore
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            var running = initial
            for await _ in hangups {
                notifier.reloading()
                logger.notice("reload.requested")
                if let next = loadConfiguration() {
                    apply(next, over: running)
                    running = next
                }
                do {
                    let errors = try await authority.reload()
                    logger.notice("dns.reload.done", metadata: ["dns.rejected_files": "\(errors.count)"])
                } catch {
                    logger.error("dns.reload.failed", metadata: ["error": "\(error)"])
                }
                notifier.send("READY=1")
            }
        }
    }

    private func loadConfiguration() -> LifeboatConfiguration? {
        do {
            return try ConfigLoader.load(path: configPath)
        } catch {
            for problem in error.problems { logger.error("config.reload.problem", metadata: ["config.problem": "\(problem)"]) }
            logger.error("config.reload.refused", metadata: ["config.problems": "\(error.problems.count)"])
            return nil
        }
    }

    private func apply(_ next: LifeboatConfiguration, over running: LifeboatConfiguration) {
        do throws(NativeClientError) {
            token.replace(with: try SecretFile.read(next.http.tokenFile))
        } catch {
            logger.error("config.reload.token", metadata: ["error": "\(error.message)"])
        }
        var restart: [String] = []
        if next.stateDirectory != running.stateDirectory { restart.append("state_dir") }
        if next.dns.listen != running.dns.listen || next.dns.zonesDirectory != running.dns.zonesDirectory
            || next.dns.notify != running.dns.notify || next.dns.allowTransfer != running.dns.allowTransfer
            || next.dns.tcpIdleTimeout != running.dns.tcpIdleTimeout || next.dns.tcpMaxConnections != running.dns.tcpMaxConnections {
            restart.append("dns")
        }
        if next.http.listen != running.http.listen { restart.append("http.listen") }
        if next.witnessChecks != running.witnessChecks { restart.append("witness") }
        if next.services != running.services { restart.append("service") }
        if next.webhooks != running.webhooks { restart.append("notify") }
        if restart.isEmpty {
            logger.notice("config.reload.done")
        } else {
            logger.warning("config.reload.needs_restart", metadata: ["config.sections": "\(restart.joined(separator: ","))"])
        }
    }
}
