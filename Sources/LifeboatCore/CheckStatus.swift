import Foundation

/// One check: its filtered state and its latest runs.
public struct CheckStatus: Sendable, Codable, Equatable {
    /// The name.
    public var name: String
    /// `http`, `mysql` or `tcp`.
    public var type: String
    /// The state.
    public var state: HealthState
    /// Failed runs in a row.
    public var consecutiveFailures: Int
    /// Passed runs in a row.
    public var consecutiveSuccesses: Int
    /// The latest run, if any.
    public var last: CheckRun?
    /// Up to the last 20 runs, oldest first: `true` passed.
    public var recent: [Bool]
    /// Whether the check runs at its `fast_interval` now: its state is changing.
    public var fastPhase: Bool
    /// The same runs' durations in milliseconds (the status page's sparkline).
    public var recentMs: [Double]?

    /// Creates a value with every field given.
    public init(name: String, type: String, state: HealthState, consecutiveFailures: Int, consecutiveSuccesses: Int, last: CheckRun?,
                recent: [Bool], fastPhase: Bool = false, recentMs: [Double]? = nil) {
        self.recentMs = recentMs
        self.name = name
        self.type = type
        self.state = state
        self.consecutiveFailures = consecutiveFailures
        self.consecutiveSuccesses = consecutiveSuccesses
        self.last = last
        self.recent = recent
        self.fastPhase = fastPhase
    }
}

