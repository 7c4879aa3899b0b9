import Controller
import ServiceLifecycle

/// Runs the checks and the failover controller until graceful shutdown, then lets a running
/// step end and be journaled.
struct ControllerService: Service {
    let controller: Controller

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await controller.run()
        }
        await controller.shutdown()
    }
}
