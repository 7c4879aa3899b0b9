/// Jitter-free run times for a check: start + n × interval, never overlapping. When a run ends
/// after its next slot (it took longer than the interval), the missed slots are skipped, not
/// crowded together. Pure: the caller passes the clock's instants.
public struct CheckSchedule<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let interval: Duration
    public private(set) var nextRun: Instant

    /// The first run is at `start`.
    public init(start: Instant, interval: Duration) {
        precondition(interval > .zero, "interval must be positive")
        self.interval = interval
        nextRun = start
    }

    /// Call when a run that was due at `nextRun` finished at `finished`; returns the next due time:
    /// `after` (default: `interval`) past the due time, skipping slots the run overran.
    @discardableResult
    public mutating func runFinished(at finished: Instant, after step: Duration? = nil) -> Instant {
        let step = step ?? interval
        precondition(step > .zero, "the step must be positive")
        var next = nextRun.advanced(by: step)
        while next <= finished { next = next.advanced(by: step) }
        nextRun = next
        return next
    }
}
