/// Turns a check's run results into a state: down after `fall` consecutive failures, up after
/// `rise` consecutive successes; from `unknown` the same counts decide. Pure value, no clock.
public struct Hysteresis: Sendable, Equatable {
    public let fall: Int
    public let rise: Int
    public private(set) var state: HealthState = .unknown
    public private(set) var consecutiveFailures = 0
    public private(set) var consecutiveSuccesses = 0

    /// Creates the filter in the unknown state.
    public init(fall: Int, rise: Int) {
        precondition(fall >= 1 && rise >= 1, "fall and rise are at least 1")
        self.fall = fall
        self.rise = rise
    }

    /// Whether the results are moving the state: failures counted towards `fall` while not down,
    /// or successes towards `rise` while not up. A check in this phase runs at its fast interval.
    public var isChanging: Bool {
        (state != .down && consecutiveFailures > 0) || (state != .up && consecutiveSuccesses > 0)
    }

    /// Records one run; returns the new state when it changed.
    @discardableResult
    public mutating func record(success: Bool) -> HealthState? {
        if success {
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            if state != .up && consecutiveSuccesses >= rise { state = .up; return .up }
        } else {
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            if state != .down && consecutiveFailures >= fall { state = .down; return .down }
        }
        return nil
    }
}
