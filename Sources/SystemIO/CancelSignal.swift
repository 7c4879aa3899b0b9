import Synchronization

/// A flag another task raises to end a running command (`ChildProcess.run(cancel:)`): the
/// command's process group gets SIGTERM, then SIGKILL after the grace.
public final class CancelSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A signal not raised yet.
    public init() {}

    /// Asks the command to stop.
    public func cancel() { raised.store(true, ordering: .relaxed) }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { raised.load(ordering: .relaxed) }
}
