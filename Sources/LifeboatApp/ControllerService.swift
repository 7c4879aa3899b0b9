import Controller
import ServiceLifecycle

/// Runs the checks and the failover controller until graceful shutdown, then lets a running
/// step end and be journaled. The controller itself may be replaced meanwhile (SIGHUP).
struct ControllerService: Service {
    let host: ControllerHost

    func run() async throws {
        await host.start()
        try? await gracefulShutdown()
        await host.stop()
    }
}
