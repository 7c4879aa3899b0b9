public import Foundation

/// How a dump-refreshed standby is refreshed (`[service.refresh]`), as the state machine applies it.
public struct RefreshPolicy: Sendable, Equatable {
    /// When refreshes come due.
    public var schedule: RefreshSchedule
    /// The time zone of the schedule's daily times.
    public var timeZone: TimeZone
    /// How long the refresh may run before it is ended (a failover waits at most this long).
    public var timeout: Duration
    /// The service's `max_lag`: older data is told as stale and holds an unforced failover.
    public var maxLag: Duration

    /// Creates a policy.
    public init(schedule: RefreshSchedule, timeZone: TimeZone, timeout: Duration, maxLag: Duration) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.timeout = timeout
        self.maxLag = maxLag
    }
}

/// What the swap of a refresh put in place, as journaled (`refreshSwapped`).
public struct RefreshSwap: Sendable, Codable, Equatable {
    /// Tables swapped into the live database.
    public var tables: Int
    /// Rows in them, as information_schema estimates them (InnoDB: approximate).
    public var rows: Int?
    /// Data and index bytes in them, as information_schema reports them.
    public var bytes: Int?
    /// The age in seconds the verify query gave for the new data, before the swap.
    public var dataAgeSeconds: Int?

    /// Creates a value with every field given.
    public init(tables: Int, rows: Int?, bytes: Int?, dataAgeSeconds: Int?) {
        self.tables = tables
        self.rows = rows
        self.bytes = bytes
        self.dataAgeSeconds = dataAgeSeconds
    }
}

/// How one refresh ended.
public struct RefreshOutcome: Sendable, Codable, Equatable {
    /// When its step began.
    public var started: Date
    /// When it ended.
    public var finished: Date
    /// Whether the new data is in place.
    public var success: Bool
    /// What it did, or why it failed.
    public var message: String
    /// What the swap put in place (successful refreshes).
    public var swap: RefreshSwap?

    /// Creates a value with every field given.
    public init(started: Date, finished: Date, success: Bool, message: String, swap: RefreshSwap?) {
        self.started = started
        self.finished = finished
        self.success = success
        self.message = message
        self.swap = swap
    }
}

/// What the state machine knows of a dump-refreshed standby's refreshes.
public struct RefreshState: Sendable, Equatable {
    /// When the next scheduled refresh comes due.
    public var nextDue: Date?
    /// Why a refresh waits to run (it came due, or an operator asked), nil when none waits.
    public var pending: String?
    /// Why the waiting refresh cannot run now ("standby serving"), nil when it is not held.
    public var postponed: String?
    /// The last refresh that ended (on its own or as failback's resync).
    public var last: RefreshOutcome?
    /// When the standby's data was taken: the start of the last successful refresh (a dump
    /// begun then holds data at least that new).
    public var dataAsOf: Date?
    /// When the refresh step under way began.
    public var runningSince: Date?
    /// The swap the running refresh reported, journaled before its step's end.
    var swap: RefreshSwap?
    /// Whether the data's passing `max_lag` has been told.
    var staleTold = false

    /// Nothing known yet.
    public init() {}
}

/// A dump-refreshed standby's refreshes as status shows them (`refresh` of a service).
public struct RefreshStatus: Sendable, Codable, Equatable {
    /// The schedule in words (`daily at 03:00`, `every 6h`).
    public var schedule: String
    /// The time zone of its daily times.
    public var timeZone: String
    /// When the next scheduled refresh comes due.
    public var nextDue: Date?
    /// Why a refresh waits to run, if one does.
    public var pending: String?
    /// Why the waiting refresh cannot run now (`standby serving`), if it cannot.
    public var postponed: String?
    /// When the refresh under way began, if one runs.
    public var runningSince: Date?
    /// How the last refresh ended.
    public var last: RefreshOutcome?
    /// When the standby's data was taken (the last successful refresh's start), if Lifeboat refreshed it.
    public var dataAsOf: Date?
    /// The data's age in seconds now, from `dataAsOf`.
    public var dataAgeSeconds: Int?
    /// Whether the data is older than `max_lag` (an unforced failover to it is held).
    public var stale: Bool

    /// Creates a value with every field given.
    public init(
        schedule: String, timeZone: String, nextDue: Date?, pending: String?, postponed: String?, runningSince: Date?,
        last: RefreshOutcome?, dataAsOf: Date?, dataAgeSeconds: Int?, stale: Bool
    ) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.nextDue = nextDue
        self.pending = pending
        self.postponed = postponed
        self.runningSince = runningSince
        self.last = last
        self.dataAsOf = dataAsOf
        self.dataAgeSeconds = dataAgeSeconds
        self.stale = stale
    }
}

extension FailoverStateMachine {
    /// The refresh's status at `now` (nil without `[service.refresh]`).
    public func refreshStatus(now: Date) -> RefreshStatus? {
        guard let policy = policy.refresh else { return nil }
        let age = refresh.dataAsOf.map { max(0, Int(now.timeIntervalSince($0))) }
        return RefreshStatus(
            schedule: policy.schedule.description, timeZone: policy.timeZone.identifier, nextDue: refresh.nextDue,
            pending: refresh.pending, postponed: refresh.postponed, runningSince: sequence?.step == .refresh ? refresh.runningSince : nil,
            last: refresh.last, dataAsOf: refresh.dataAsOf, dataAgeSeconds: age, stale: staleDataBlock(now: now) != nil)
    }
}

extension RefreshStatus {
    /// One line of what status shows of the refreshes, and whether it is an alert.
    public struct Line: Sendable, Equatable {
        /// The text.
        public var text: String
        /// A failed refresh, stale data or a postponed refresh: shown as an alert.
        public var alert: Bool
    }

    /// The refreshes in a few lines, for `lifeboat status` and the status page.
    public func lines(now: Date) -> [Line] {
        var lines: [Line] = []
        var head = "\(schedule) (\(timeZone))"
        if let nextDue { head += " · next \(HumanTime.clock(nextDue)) (in \(HumanTime.duration(nextDue.timeIntervalSince(now))))" }
        lines.append(Line(text: head, alert: false))
        if let dataAsOf {
            lines.append(Line(
                text: "data as of \(HumanTime.clock(dataAsOf)) (age \(HumanTime.duration(now.timeIntervalSince(dataAsOf))))\(stale ? " — OLDER THAN max_lag" : "")",
                alert: stale))
        }
        if let runningSince {
            lines.append(Line(text: "refresh running since \(HumanTime.clock(runningSince)) (\(HumanTime.duration(now.timeIntervalSince(runningSince))))", alert: false))
        }
        if let postponed {
            lines.append(Line(text: "refresh postponed: \(postponed)\(pending.map { " (\($0))" } ?? "")", alert: true))
        }
        if let last {
            let took = HumanTime.duration(last.finished.timeIntervalSince(last.started))
            lines.append(Line(
                text: "last refresh \(last.success ? "done" : "FAILED") \(HumanTime.clock(last.finished)) after \(took): \(last.message)",
                alert: !last.success))
        }
        return lines
    }
}
