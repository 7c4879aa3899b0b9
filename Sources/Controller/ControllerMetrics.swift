public import LifeboatCore

/// Where the controller reports what it measures (the Prometheus registry in the daemon).
public protocol ControllerMetrics: Sendable {
    /// One run of a check: `check` is its unique key (`service/site/name` or `witness/name`).
    func checkRan(check: String, duration: Duration, success: Bool, reason: String?)
    /// Whether a check runs at its fast interval now (its state is changing).
    func checkPace(check: String, fast: Bool)
    /// A failover or failback sequence began.
    func sequenceStarted(service: String, direction: FailoverDirection)
    /// A step ended (the drain is not measured here).
    func stepEnded(service: String, step: String, duration: Duration, success: Bool)
}

/// Measures nothing (tools and tests that need no metrics).
public struct NoMetrics: ControllerMetrics {
    /// Creates the no-op.
    public init() {}
    public func checkRan(check: String, duration: Duration, success: Bool, reason: String?) {}
    public func checkPace(check: String, fast: Bool) {}
    public func sequenceStarted(service: String, direction: FailoverDirection) {}
    public func stepEnded(service: String, step: String, duration: Duration, success: Bool) {}
}
