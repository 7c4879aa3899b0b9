import Controller
#if canImport(Glibc)
import Glibc
#endif
import ServiceLifecycle

/// Talks to systemd (`Type=notify`): READY=1 once the listeners are bound, STATUS= with each
/// service's state every few seconds, WATCHDOG=1 at half of `WatchdogSec=`, STOPPING=1 at the end.
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let readiness: Readiness
    let host: ControllerHost

    func run() async throws {
        guard notifier.isActive else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await readiness.wait()
            notifier.send("READY=1\nSTATUS=\(await host.controller.summary())\nMAINPID=\(getpid())")
            let period = min(notifier.watchdogInterval ?? .seconds(5), .seconds(5))
            var sinceStatus = Duration.zero
            while !Task.isCancelled {
                do { try await Task.sleep(for: period) } catch { break }
                if notifier.watchdogInterval != nil { notifier.send("WATCHDOG=1") }
                sinceStatus += period
                if sinceStatus >= .seconds(5) {
                    notifier.send("STATUS=\(await host.controller.summary())")
                    sinceStatus = .zero
                }
            }
        }
        notifier.send("STOPPING=1\nSTATUS=stopping")
    }
}

extension SystemdNotifier {
    /// `RELOADING=1` with the monotonic time systemd asks for.
    func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        send("RELOADING=1\nMONOTONIC_USEC=\(Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000)")
    }
}
