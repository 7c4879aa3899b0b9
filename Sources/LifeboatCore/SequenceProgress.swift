public import Foundation

/// A failover or failback sequence under way (or stopped by a failed step).
public struct SequenceProgress: Sendable, Equatable {
    /// What the sequence is doing right now.
    public enum Status: Sendable, Equatable {
        /// Step `index` is running; its result is awaited.
        case running
        /// Step `index` failed; it runs again at this instant.
        case waitingRetry(until: Date)
        /// The drain step: resolvers forget the standby until this instant.
        case draining(until: Date)
        /// Step `index` failed `step_retries` times; waits for `retry` or `abort`.
        case halted(reason: String)

        /// A timer step (drain, TTL wait) that has not ended.
        public var isWaiting: Bool { if case .draining = self { true } else { false } }
    }

    /// The journal's number for this sequence.
    public var id: Int
    /// Failover or failback.
    public var direction: FailoverDirection
    /// The steps, in order.
    public var steps: [FailoverStep]
    /// Automatic or an operator.
    public var trigger: SequenceTrigger
    /// Whether an operator skipped the gates.
    public var forced: Bool
    /// The step being run (or failed).
    public var index: Int
    /// The try of step `index`, from 1.
    public var attempt: Int
    /// What it is doing now.
    public var status: Status
    /// When it began (anti-flap counts a completed automatic failover from here).
    public var startedAt: Date?
    /// `on_failure = "serve"`: the read-only steps it goes without (the DNS step is allowed anyway).
    public var servingWithout: [ReadOnlyStepID]?

    /// The step being run.
    public var step: FailoverStep { steps[index] }

    /// For a completed automatic failover, when anti-flap counts from (its start).
    func antiFlapStart(finishedAt: Date) -> Date? {
        direction == .failover && trigger == .automatic ? startedAt ?? finishedAt : nil
    }

    /// `on_failure = "serve"`: the same sequence gone on to its DNS step without `missing`.
    func servingDegraded(without missing: [ReadOnlyStepID]) -> SequenceProgress {
        var serving = self
        serving.servingWithout = missing
        serving.index = steps.firstIndex(of: .switchDNS(.standby)) ?? index
        serving.attempt = 1
        serving.status = .running
        return serving
    }
}
