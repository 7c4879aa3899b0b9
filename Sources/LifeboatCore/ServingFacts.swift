public import Foundation

/// What the standby's site is told while it serves (the Apache snippet's `SetEnv`s and header), so
/// its theme can say "you are seeing this site as of 14:02".
public struct ServingFacts: Sendable, Equatable {
    /// When the failover that made it serve began.
    public var since: Date
    /// When its data was taken: the last transaction the replica had applied (the last check that
    /// saw replication run, less its lag), the last refresh's start, or `lag_query`'s age; nil when unknown.
    public var dataAsOf: Date?

    /// Creates the facts.
    public init(since: Date, dataAsOf: Date?) {
        self.since = since
        self.dataAsOf = dataAsOf
    }

    /// An instant as the snippet writes it: ISO 8601 in UTC, whole seconds (`2026-12-07T14:02:05Z`).
    public static func text(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
