import Controller
import DNSAuthority
import LifeboatConfig
import Logging
import NativeClients
import SystemIO
import ServiceLifecycle
import StatusWeb
import UnixSignals

/// On each SIGHUP until graceful shutdown: re-reads the configuration — a bad one is refused
/// with every problem logged and the running one stays — applies the control token, replaces
/// the controller when services, checks, witnesses or webhooks changed — unless a sequence is
/// under way or stopped in ERROR: then the new configuration waits and is applied once the
/// sequence has ended (`retry` finished it, or `abort`) — names what needs a restart
/// (listeners, directories), and re-reads the zone files.
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
        let state = ReloadState(running: initial)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups {
                        notifier.reloading()
                        logger.notice("reload.requested")
                        if let next = loadConfiguration() { await offer(next, state: state) }
                        do {
                            let errors = try await authority.reload()
                            logger.notice("dns.reload.done", metadata: ["dns.rejected_files": "\(errors.count)"])
                        } catch {
                            logger.error("dns.reload.failed", metadata: ["error": "\(error)"])
                        }
                        notifier.send("READY=1")
                    }
                }
                group.addTask {
                    // A deferred configuration is applied once the sequence has ended (retry finished it, or abort).
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(500))
                        if let next = await state.deferred, !(await host.controller.sequencePresent()) {
                            logger.notice("config.reload.deferred.applying")
                            await offer(next, state: state)
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Applies `next` now, or defers it while a sequence is present.
    private func offer(_ next: LifeboatConfiguration, state: ReloadState) async {
        let running = await state.running
        switch await apply(next, over: running) {
        case .applied:
            await state.applied(next)
            host.reloadDeferred = nil
        case .deferred(let why):
            await state.defer(next)
            host.reloadDeferred = why
        case .failed:
            await state.clearDeferred()
            host.reloadDeferred = nil
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

    enum Outcome { case applied, deferred(String), failed }

    /// Applies `next` over `running`; the controller part waits while a sequence is present.
    private func apply(_ next: LifeboatConfiguration, over running: LifeboatConfiguration) async -> Outcome {
        do throws(SystemError) {
            token.replace(with: try SecretFile.read(next.http.tokenFile))
        } catch {
            logger.error("config.reload.token", metadata: ["error": "\(error.message)"])
        }
        var restart: [String] = []
        if next.stateDirectory != running.stateDirectory { restart.append("state_dir") }
        if next.dns != running.dns { restart.append("dns") }
        if next.http.listen != running.http.listen { restart.append("http.listen") }
        if next.cluster != running.cluster { restart.append("cluster") }
        if !restart.isEmpty {
            logger.warning("config.reload.needs_restart", metadata: ["config.sections": "\(restart.joined(separator: ","))"])
        }
        guard next.services != running.services || next.witnessChecks != running.witnessChecks || next.webhooks != running.webhooks else {
            await host.controller.runPreflights()
            logger.notice("config.reload.done")
            return .applied
        }
        if await host.controller.sequencePresent() {
            let why = "a failover or failback is under way or stopped in ERROR: services, checks and webhooks change once it ends (retry or abort)"
            logger.warning("config.reload.deferred", metadata: ["config.reason": "\(why)"])
            return .deferred("reload deferred: \(why)")
        }
        var adjusted = next
        adjusted.stateDirectory = initial.stateDirectory  // the journal stays where it is until a restart
        adjusted.cluster = initial.cluster  // so does the cluster this site belongs to
        let applied = adjusted
        do {
            try await host.replace { try await makeController(applied) }
            logger.notice("config.reload.done", metadata: ["config.controller": "replaced"])
            return .applied
        } catch {
            logger.error("config.reload.controller.failed", metadata: ["error": "\(error)"])
            return .failed
        }
    }
}

/// The configuration in force and the one waiting for a sequence to end.
actor ReloadState {
    private(set) var running: LifeboatConfiguration
    private(set) var deferred: LifeboatConfiguration?

    init(running: LifeboatConfiguration) { self.running = running }

    func applied(_ configuration: LifeboatConfiguration) {
        running = configuration
        deferred = nil
    }

    func `defer`(_ configuration: LifeboatConfiguration) { deferred = configuration }

    func clearDeferred() { deferred = nil }
}
