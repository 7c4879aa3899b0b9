public import LifeboatCore
public import NativeClients

/// One run of one check: success or a reason, the library's message, and what was measured.
public struct ProbeResult: Sendable {
    /// The check's name.
    public var check: String
    /// Whether the run passed.
    public var success: Bool
    /// Why it failed (nil on success).
    public var reason: FailureReason?
    /// The library's or the check's own words.
    public var message: String
    /// How long the run took.
    public var duration: Duration
    /// HTTP: the status code.
    public var httpStatus: Int?
    /// HTTP: per-phase times.
    public var timings: HTTPTimings?
    /// HTTPS: whole days until the certificate expires.
    public var certificateDaysLeft: Int?
    /// MySQL replica or `lag_query`: the lag in seconds (nil when unknown).
    public var lagSeconds: Int?
    /// MySQL: `@@read_only`.
    public var readOnly: Bool?

    /// Creates a result (probes do; tests and tools may too).
    public init(check: String, success: Bool, reason: FailureReason?, message: String, duration: Duration) {
        self.check = check
        self.success = success
        self.reason = reason
        self.message = message
        self.duration = duration
    }

    static func passed(_ check: String, _ duration: Duration, _ message: String = "ok") -> ProbeResult {
        ProbeResult(check: check, success: true, reason: nil, message: message, duration: duration)
    }

    static func failed(_ check: String, _ reason: FailureReason, _ message: String, _ duration: Duration) -> ProbeResult {
        ProbeResult(check: check, success: false, reason: reason, message: message, duration: duration)
    }
}

extension FailureReason {
    /// The reason for a C library failure.
    init(_ error: NativeClientError) {
        switch error.kind {
        case .refused: self = .refused
        case .timeout: self = .timeout
        case .tls: self = .tls
        case .auth: self = .auth
        case .query: self = .query
        case .protocolError: self = .protocol
        case .local: self = .local
        default: self = .connection
        }
    }
}
