public import Foundation

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
    /// `[service.refresh]`: the standby's refreshes and its data's age (nil for a replica).
    public var refresh: RefreshStatus?
    /// The last sequence that ended (when none runs), step by step with durations.
    public var lastSequence: SequenceStatus?
    /// The phases of the last 24 hours, from the journal.
    public var phases: [PhaseSpan]?
    /// The propagation watch after the last DNS switch (resolvers and secondaries), if any.
    public var propagation: PropagationStatus?
    /// The last drill's report, if there was one in the history kept.
    public var lastDrill: DrillReport?
    /// Whether the owners are served with a switchover's lowered TTL.
    public var ttlLowered: Bool?
    /// What put DNS at the standby (`switchover`, `drill`, `automatic`, `operator`); nil at the primary.
    public var servedBy: SequenceTrigger?

    /// Creates a status (the controller does).
    public init(
        name: String, phase: FailoverPhase, since: Date, reason: String, paused: Bool, activeSite: SiteRole, zone: String,
        serial: UInt32?, owners: [String], addresses: [String], ttl: Int, waiting: String?, countdowns: [Countdown],
        sequence: SequenceStatus?, primary: SiteStatus, standby: SiteStatus, lastAutomaticFailover: Date?, failback: String,
        preflight: PreflightReport? = nil, refresh: RefreshStatus? = nil
    ) {
        self.refresh = refresh
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
