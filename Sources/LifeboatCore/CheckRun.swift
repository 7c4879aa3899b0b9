public import Foundation

/// One run of a check.
public struct CheckRun: Sendable, Codable, Equatable {
    /// When.
    public var at: Date
    /// Whether it passed.
    public var success: Bool
    /// Why, in words.
    public var reason: FailureReason?
    /// The library's or the check's own words.
    public var message: String
    /// How long it took, in milliseconds.
    public var durationMs: Double
    /// HTTP: the status code.
    public var httpStatus: Int?
    /// Replication or `lag_query` lag in seconds.
    public var lagSeconds: Int?
    /// HTTPS: whole days until the server's certificate expires.
    public var certificateDaysLeft: Int?

    /// Creates a value with every field given.
    public init(
        at: Date, success: Bool, reason: FailureReason?, message: String, durationMs: Double, httpStatus: Int?, lagSeconds: Int?,
        certificateDaysLeft: Int? = nil
    ) {
        self.certificateDaysLeft = certificateDaysLeft
        self.at = at
        self.success = success
        self.reason = reason
        self.message = message
        self.durationMs = durationMs
        self.httpStatus = httpStatus
        self.lagSeconds = lagSeconds
    }
}
