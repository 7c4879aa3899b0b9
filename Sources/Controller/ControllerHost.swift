import Synchronization
public import LifeboatCore

/// The running controller, replaced as a whole when a SIGHUP brings changed services, checks,
/// witnesses or webhooks. Readers (the HTTP routes, systemd status) take `controller` each time.
public actor ControllerHost {
    private nonisolated let current: Mutex<Controller>
    private nonisolated let deferred = Mutex<String?>(nil)

    /// Why a configuration reload waits (nil when none does); the status shows it.
    public nonisolated var reloadDeferred: String? {
        get { deferred.withLock { $0 } }
        set { deferred.withLock { $0 = newValue } }
    }

    /// The current controller's status, with a deferred reload named.
    public nonisolated func status() async -> StatusReport {
        var report = await controller.status()
        report.reloadDeferred = reloadDeferred
        return report
    }
    private var task: Task<Void, Never>?

    /// Hosts `controller` (not yet started).
    public init(_ controller: Controller) {
        current = Mutex(controller)
    }

    /// The controller now.
    public nonisolated var controller: Controller { current.withLock { $0 } }

    /// Starts the checks and the services of the current controller.
    public func start() {
        let controller = self.controller
        task = Task { await controller.run() }
    }

    /// Stops the checks (a running check ends within its timeout) and lets a running step end.
    public func stop() async {
        task?.cancel()
        await task?.value
        task = nil
        await controller.shutdown()
    }

    /// Stops the current controller, builds the next one (it restores itself from the journal,
    /// which no one writes meanwhile) and starts it; if building fails the old one starts again.
    /// Only call it when no service has a sequence (`Controller.sequencePresent()`).
    public func replace(building build: @Sendable () async throws -> Controller) async throws {
        await stop()
        let next: Controller
        do {
            next = try await build()
        } catch {
            start()
            throw error
        }
        current.withLock { $0 = next }
        start()
    }
}
