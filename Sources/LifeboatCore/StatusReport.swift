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
    public var name: String
    public var phase: FailoverPhase
    /// Since when the phase holds, and why.
    public var since: Date
    public var reason: String
    public var paused: Bool
    /// The site DNS points at.
    public var activeSite: SiteRole
    /// The zone, its serial, the owners and the addresses they are served with.
    public var zone: String
    public var serial: UInt32?
    public var owners: [String]
    public var addresses: [String]
    public var ttl: Int
    /// What holds back the next automatic transition (anti-flap, holddown, gates), if anything.
    public var waiting: String?
    /// Running timers: holddown, drain, anti-flap, retry.
    public var countdowns: [Countdown]
    /// The sequence under way or stopped.
    public var sequence: SequenceStatus?
    public var primary: SiteStatus
    public var standby: SiteStatus
    /// When the last automatic failover started (anti-flap counts from it).
    public var lastAutomaticFailover: Date?
    /// `manual` or `auto`.
    public var failback: String

    /// Creates a status (the controller does).
    public init(
        name: String, phase: FailoverPhase, since: Date, reason: String, paused: Bool, activeSite: SiteRole, zone: String,
        serial: UInt32?, owners: [String], addresses: [String], ttl: Int, waiting: String?, countdowns: [Countdown],
        sequence: SequenceStatus?, primary: SiteStatus, standby: SiteStatus, lastAutomaticFailover: Date?, failback: String
    ) {
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
    /// `holddown`, `drain`, `anti-flap` or `retry`.
    public var name: String
    public var until: Date

    public init(name: String, until: Date) {
        self.name = name
        self.until = until
    }
}

/// A sequence's steps and how far it got.
public struct SequenceStatus: Sendable, Codable, Equatable {
    public var direction: FailoverDirection
    public var trigger: SequenceTrigger
    public var forced: Bool
    /// The steps, each `done`, `running`, `waiting`, `failed` or `pending`.
    public var steps: [StepStatus]
    /// The current step's try.
    public var attempt: Int

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
    public var name: String
    public var state: String
    /// How long it took (done steps) in milliseconds.
    public var durationMs: Int?
    /// What it did or why it failed.
    public var detail: String?

    public init(name: String, state: String, durationMs: Int?, detail: String?) {
        self.name = name
        self.state = state
        self.durationMs = durationMs
        self.detail = detail
    }
}

/// A site's health.
public struct SiteStatus: Sendable, Codable, Equatable {
    public var state: HealthState
    public var detail: String
    public var addresses: [String]
    public var checks: [CheckStatus]

    public init(state: HealthState, detail: String, addresses: [String], checks: [CheckStatus]) {
        self.state = state
        self.detail = detail
        self.addresses = addresses
        self.checks = checks
    }
}

/// One check: its filtered state and its latest runs.
public struct CheckStatus: Sendable, Codable, Equatable {
    public var name: String
    public var type: String
    public var state: HealthState
    public var consecutiveFailures: Int
    public var consecutiveSuccesses: Int
    /// The latest run, if any.
    public var last: CheckRun?
    /// Up to the last 20 runs, oldest first: `true` passed.
    public var recent: [Bool]

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
    public var at: Date
    public var success: Bool
    public var reason: String?
    public var message: String
    public var durationMs: Double
    public var httpStatus: Int?
    public var lagSeconds: Int?

    public init(at: Date, success: Bool, reason: String?, message: String, durationMs: Double, httpStatus: Int?, lagSeconds: Int?) {
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
    public var service: String
    public var at: Date
    /// A short kind: `phase`, `step`, `sequence`, `command`, `pause`.
    public var kind: String
    /// The event in words.
    public var summary: String

    public init(service: String, at: Date, kind: String, summary: String) {
        self.service = service
        self.at = at
        self.kind = kind
        self.summary = summary
    }
}

/// The answer to a control call (`POST /api/v1/services/{name}/{command}`).
public struct CommandResponse: Sendable, Codable, Equatable {
    public var service: String
    public var command: String
    public var accepted: Bool
    public var message: String
    /// The phase after the command.
    public var phase: FailoverPhase

    public init(service: String, command: String, accepted: Bool, message: String, phase: FailoverPhase) {
        self.service = service
        self.command = command
        self.accepted = accepted
        self.message = message
        self.phase = phase
    }
}
