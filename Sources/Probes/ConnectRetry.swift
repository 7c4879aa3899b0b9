import Synchronization

/// When a check's connect is given up and made afresh within the run's own timeout. The kernel
/// resends a lost SYN only after 1 s (then 3 s more), so a check with a timeout near a second
/// failed on every lost SYN or SYN-ACK — a false "down" on a lossy path. A new connect after
/// `limit` is a faster resend. The limit follows the path: three times the slowest of the last
/// connects, at least 250 ms, so a long path is never cut short; the last attempt gets all the
/// time that is left, so a run never gives up sooner than before.
public final class ConnectRetry: Sendable {
    static let floor: Duration = .milliseconds(250)
    private let recent = Mutex<[Duration]>([])

    public init() {}

    /// A connect that succeeded took `duration`.
    public func record(_ duration: Duration) {
        guard duration > .zero else { return }
        recent.withLock { recent in
            recent.append(duration)
            if recent.count > 8 { recent.removeFirst() }
        }
    }

    /// How long the next connect may take with `remaining` of the run left (`remaining`: it is the last).
    public func limit(remaining: Duration) -> Duration {
        let slowest = recent.withLock { $0.max() } ?? .zero
        return min(remaining, max(Self.floor, slowest * 3))
    }
}
