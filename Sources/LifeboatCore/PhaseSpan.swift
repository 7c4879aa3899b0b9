public import Foundation

/// A stretch of time a service spent in one phase (the status page's 24-hour strip).
public struct PhaseSpan: Sendable, Codable, Equatable {
    /// The phase.
    public var phase: FailoverPhase
    /// From when.
    public var from: Date
    /// Until when (now for the current phase).
    public var to: Date

    /// Creates a span.
    public init(phase: FailoverPhase, from: Date, to: Date) {
        self.phase = phase
        self.from = from
        self.to = to
    }

    /// The phases of the `window` before `now`, from the journal's phase changes and the phase
    /// now (held since `currentSince`); time before the first change known is left out.
    public static func spans(
        changes: [(at: Date, phase: FailoverPhase)], current: FailoverPhase, currentSince: Date, now: Date, window: TimeInterval = 86400
    ) -> [PhaseSpan] {
        let start = now.addingTimeInterval(-window)
        var spans: [PhaseSpan] = []
        var phase: FailoverPhase?
        var since = start
        for change in changes.sorted(by: { $0.at < $1.at }) where change.at <= now {
            if change.at <= start {
                phase = change.phase
                continue
            }
            if let phase { spans.append(PhaseSpan(phase: phase, from: since, to: change.at)) }
            phase = change.phase
            since = change.at
        }
        // After the last change the service is in its current phase.
        let from = phase == nil ? max(start, min(currentSince, now)) : since
        spans.append(PhaseSpan(phase: current, from: from, to: now))
        return spans.filter { $0.to > $0.from || $0.phase == current }
    }
}
