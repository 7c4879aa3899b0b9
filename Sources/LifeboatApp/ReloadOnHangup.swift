import Controller
import DNSServer
import LifeboatConfig
import Logging
import NativeClients
import ServiceLifecycle
import StatusWeb
import UnixSignals

/// On each SIGHUP until graceful shutdown: re-reads the configuration — a bad one is refused
/// with every problem logged and the running one stays — applies the control token, replaces
/// the controller when services, checks, witnesses or webhooks changed (unless a sequence is
/// under way: then it waits for the next SIGHUP), names what needs a restart (listeners,
/// directories), and re-reads the zone files.
struct ReloadOnHangup: Service {
    let configPath: String
    let initial: LifeboatConfiguration
    let authority: ZoneAuthority
    let token: TokenStore
    let host: ControllerHost
    let makeController: @Sendable (LifeboatConfiguration) async throws -> Controller
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            var running = initial
            for await _ in hangups {
                notifier.reloading()
                logger.notice("reload.requested")
                if let next = loadConfiguration(), await apply(next, over: running) {
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

    /// Applies `next`; returns false when the controller part had to wait (the next SIGHUP tries again).
    private func apply(_ next: LifeboatConfiguration, over running: LifeboatConfiguration) async -> Bool {
        do throws(NativeClientError) {
            token.replace(with: try SecretFile.read(next.http.tokenFile))
        } catch {
            logger.error("config.reload.token", metadata: ["error": "\(error.message)"])
        }
        var restart: [String] = []
        if next.stateDirectory != running.stateDirectory { restart.append("state_dir") }
        if next.dns != running.dns { restart.append("dns") }
        if next.http.listen != running.http.listen { restart.append("http.listen") }
        if !restart.isEmpty {
            logger.warning("config.reload.needs_restart", metadata: ["config.sections": "\(restart.joined(separator: ","))"])
        }
        guard next.services != running.services || next.witnessChecks != running.witnessChecks || next.webhooks != running.webhooks else {
            await host.controller.runPreflights()
            logger.notice("config.reload.done")
            return true
        }
        if await host.controller.sequenceUnderWay() {
            logger.warning("config.reload.deferred", metadata: [
                "config.reason": "a failover or failback is under way; services, checks and webhooks stay as they were until a SIGHUP after it ends"])
            return false
        }
        var adjusted = next
        adjusted.stateDirectory = initial.stateDirectory  // the journal stays where it is until a restart
        let applied = adjusted
        do {
            try await host.replace { try await makeController(applied) }
            logger.notice("config.reload.done", metadata: ["config.controller": "replaced"])
            return true
        } catch {
            logger.error("config.reload.controller.failed", metadata: ["error": "\(error)"])
            return false
        }
    }
}
