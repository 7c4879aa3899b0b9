public import Foundation

/// Everything the status page, `/api/v1/status` and `lifeboat status` show.
public struct StatusReport: Sendable, Codable, Equatable {
    /// When the report was made.
    public var generatedAt: Date
    /// Lifeboat's version.
    public var version: String
    /// Every witness is down: Lifeboat may be the one cut off.
    public var isolated: Bool
    /// One entry per `[[service]]`.
    public var services: [ServiceStatus]
    /// The witness checks.
    public var witnesses: [CheckStatus]
    /// A configuration reload waiting for a sequence (under way or stopped in ERROR) to end.
    public var reloadDeferred: String?
    /// The last time, within the last 2 minutes, that Lifeboat's own host could not run a check.
    public var localProblem: String?

    /// Creates a report.
    public init(generatedAt: Date, version: String, isolated: Bool, services: [ServiceStatus], witnesses: [CheckStatus]) {
        self.generatedAt = generatedAt
        self.version = version
        self.isolated = isolated
        self.services = services
        self.witnesses = witnesses
    }
}

/// One service: where it stands, why, what comes next, and its sites' checks.
public struct ServiceStatus: Sendable, Codable, Equatable {
    /// The name.
    public var name: String
    /// The phase.
    public var phase: FailoverPhase
    /// Since when the phase holds, and why.
    public var since: Date
    /// Why, in words.
    public var reason: String
    /// Whether automatic transitions are paused.
    public var paused: Bool
    /// The site DNS points at.
    public var activeSite: SiteRole
    /// The zone, its serial, the owners and the addresses they are served with.
    public var zone: String
    /// The zone's SOA serial served.
    public var serial: UInt32?
    /// The DNS names that follow the active site.
    public var owners: [String]
    /// The addresses served (or configured) for it.
    public var addresses: [String]
    /// The owners' TTL in seconds.
    public var ttl: Int
    /// What holds back the next automatic transition (anti-flap, holddown, gates), if anything.
    public var waiting: String?
    /// Running timers: holddown, drain, anti-flap, retry.
    public var countdowns: [Countdown]
    /// The sequence under way or stopped.
    public var sequence: SequenceStatus?
    /// The primary site's health.
    public var primary: SiteStatus
    /// The standby site's health.
    public var standby: SiteStatus
    /// When the last automatic failover started (anti-flap counts from it).
    public var lastAutomaticFailover: Date?
    /// `manual` or `auto`.
    public var failback: String
    /// The read-only preflight's last report (nil before its first run, or with no read-only steps to check).
    public var preflight: PreflightReport?

    /// Creates a status (the controller does).
    public init(
        name: String, phase: FailoverPhase, since: Date, reason: String, paused: Bool, activeSite: SiteRole, zone: String,
        serial: UInt32?, owners: [String], addresses: [String], ttl: Int, waiting: String?, countdowns: [Countdown],
        sequence: SequenceStatus?, primary: SiteStatus, standby: SiteStatus, lastAutomaticFailover: Date?, failback: String,
        preflight: PreflightReport? = nil
    ) {
        self.preflight = preflight
        self.name = name
        self.phase = phase
        self.since = since
        self.reason = reason
        self.paused = paused
        self.activeSite = activeSite
        self.zone = zone
        self.serial = serial
        self.owners = owners
        self.addresses = addresses
        self.ttl = ttl
        self.waiting = waiting
        self.countdowns = countdowns
        self.sequence = sequence
        self.primary = primary
        self.standby = standby
        self.lastAutomaticFailover = lastAutomaticFailover
        self.failback = failback
    }
}

/// A timer and when it ends.
public struct Countdown: Sendable, Codable, Equatable {
    /// `holddown`, `drain`, `anti-flap`, `retry` or `confirmation`.
    public var name: FailoverTimer.Name
    /// When it ends.
    public var until: Date

    /// Creates a value with every field given.
    public init(name: FailoverTimer.Name, until: Date) {
        self.name = name
        self.until = until
    }
}

/// A sequence's steps and how far it got.
public struct SequenceStatus: Sendable, Codable, Equatable {
    /// Failover or failback.
    public var direction: FailoverDirection
    /// Automatic or an operator.
    public var trigger: SequenceTrigger
    /// Whether an operator skipped the gates.
    public var forced: Bool
    /// The steps, each `done`, `running`, `waiting`, `retrying`, `failed` or `pending`.
    public var steps: [StepStatus]
    /// The current step's try.
    public var attempt: Int

    /// Creates a value with every field given.
    public init(direction: FailoverDirection, trigger: SequenceTrigger, forced: Bool, steps: [StepStatus], attempt: Int) {
        self.direction = direction
        self.trigger = trigger
        self.forced = forced
        self.steps = steps
        self.attempt = attempt
    }
}

/// One step of a sequence.
public struct StepStatus: Sendable, Codable, Equatable {
    /// The name.
    public var name: String
    /// The state.
    public var state: StepState
    /// How long it took (done steps) in milliseconds.
    public var durationMs: Int?
    /// What it did or why it failed.
    public var detail: String?

    /// Creates a value with every field given.
    public init(name: String, state: StepState, durationMs: Int?, detail: String?) {
        self.name = name
        self.state = state
        self.durationMs = durationMs
        self.detail = detail
    }
}

/// A site's health.
public struct SiteStatus: Sendable, Codable, Equatable {
    /// The state.
    public var state: HealthState
    /// What it did, or why it failed.
    public var detail: String
    /// The addresses served (or configured) for it.
    public var addresses: [String]
    /// The site's checks.
    public var checks: [CheckStatus]

    /// Creates a value with every field given.
    public init(state: HealthState, detail: String, addresses: [String], checks: [CheckStatus]) {
        self.state = state
        self.detail = detail
        self.addresses = addresses
        self.checks = checks
    }
}

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

    /// Creates a value with every field given.
    public init(name: String, type: String, state: HealthState, consecutiveFailures: Int, consecutiveSuccesses: Int, last: CheckRun?, recent: [Bool]) {
        self.name = name
        self.type = type
        self.state = state
        self.consecutiveFailures = consecutiveFailures
        self.consecutiveSuccesses = consecutiveSuccesses
        self.last = last
        self.recent = recent
    }
}

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

    /// Creates a value with every field given.
    public init(at: Date, success: Bool, reason: FailureReason?, message: String, durationMs: Double, httpStatus: Int?, lagSeconds: Int?) {
        self.at = at
        self.success = success
        self.reason = reason
        self.message = message
        self.durationMs = durationMs
        self.httpStatus = httpStatus
        self.lagSeconds = lagSeconds
    }
}

/// One line of a service's history (`/api/v1/history`, `lifeboat history`).
public struct HistoryEntry: Sendable, Codable, Equatable {
    /// The service's name.
    public var service: String
    /// When.
    public var at: Date
    /// A short kind: `phase`, `step`, `sequence`, `command`, `pause`, `maintenance`.
    public var kind: HistoryKind
    /// The event in words.
    public var summary: String

    /// Creates a value with every field given.
    public init(service: String, at: Date, kind: HistoryKind, summary: String) {
        self.service = service
        self.at = at
        self.kind = kind
        self.summary = summary
    }
}

/// The answer to a control call (`POST /api/v1/services/{name}/{command}`).
public struct CommandResponse: Sendable, Codable, Equatable {
    /// The service's name.
    public var service: String
    /// The command's name.
    public var command: String
    /// Whether it was carried out.
    public var accepted: Bool
    /// The library's or the check's own words.
    public var message: String
    /// The phase after the command.
    public var phase: FailoverPhase

    /// Creates a value with every field given.
    public init(service: String, command: String, accepted: Bool, message: String, phase: FailoverPhase) {
        self.service = service
        self.command = command
        self.accepted = accepted
        self.message = message
        self.phase = phase
    }
}
