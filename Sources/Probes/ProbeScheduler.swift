import LifeboatCore

/// Runs every probe on its own jitter-free schedule until cancelled: runs of one probe never
/// overlap, a run that overruns its interval skips the missed slots, and the first runs are
/// spread evenly over one interval so a thousand checks do not start in the same millisecond.
/// While the report of a run says `.fast` (the check's state is changing), the next run comes
/// after the entry's fast interval instead (HAProxy's `fastinter`).
public struct ProbeScheduler: Sendable {
    /// A probe and how often it runs.
    public struct Entry: Sendable {
        public let probe: any Probe
        public let interval: Duration
        public let fastInterval: Duration

        /// `fastInterval` (default: `interval`) is clamped to at most `interval`.
        public init(probe: any Probe, interval: Duration, fastInterval: Duration? = nil) {
            self.probe = probe
            self.interval = interval
            self.fastInterval = min(fastInterval ?? interval, interval)
        }
    }

    /// How soon a probe runs again.
    public enum Pace: Sendable {
        case normal
        case fast
    }

    private let entries: [Entry]

    /// Creates the scheduler.
    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// Runs until the task is cancelled; `report` gets each result and how late its run started,
    /// and says the pace of the next run. The grid starts at `start` (default: now).
    public func run(
        startingAt start: ContinuousClock.Instant = .now,
        report: @escaping @Sendable (ProbeResult, _ lateness: Duration) async -> Pace
    ) async {
        await run(on: ContinuousClock(), startingAt: start, report: report)
    }

    /// As `run(startingAt:report:)`, with the schedule kept on `clock` (tests pass a manual one).
    public func run<C: Clock>(
        on clock: C,
        startingAt start: C.Instant,
        report: @escaping @Sendable (ProbeResult, _ lateness: Duration) async -> Pace
    ) async where C.Duration == Duration {
        await withDiscardingTaskGroup { group in
            for (index, entry) in entries.enumerated() {
                let offset = entry.interval / entries.count * index
                group.addTask {
                    var schedule = CheckSchedule(start: start.advanced(by: offset), interval: entry.interval)
                    while !Task.isCancelled {
                        do { try await clock.sleep(until: schedule.nextRun, tolerance: nil) } catch { return }
                        let lateness = schedule.nextRun.duration(to: clock.now)
                        let result = await entry.probe.run()
                        let pace = await report(result, lateness)
                        schedule.runFinished(at: clock.now, after: pace == .fast ? entry.fastInterval : entry.interval)
                    }
                }
            }
        }
    }
}
