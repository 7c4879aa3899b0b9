import Synchronization

/// The snapshot being served. Readers take the current one (a lock and a retain); a writer
/// replaces it whole, so every query sees one consistent snapshot.
public final class SnapshotStore: Sendable {
    private let box: Mutex<ServingSnapshot>

    /// Creates the store serving `initial`.
    public init(_ initial: ServingSnapshot) {
        box = Mutex(initial)
    }

    /// The snapshot to answer from.
    public var current: ServingSnapshot {
        box.withLock { $0 }
    }

    /// Serves `snapshot` from now on.
    public func replace(with snapshot: ServingSnapshot) {
        box.withLock { $0 = snapshot }
    }
}
