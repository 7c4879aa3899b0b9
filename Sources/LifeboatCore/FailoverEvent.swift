

/// An operator's command with who and why, as journaled.
public struct OperatorCommand: Sendable, Codable, Equatable {
    /// A short kind.
    public var kind: OperatorCommandKind
    /// Skip the gates (standby health, isolation, holddown).
    public var force: Bool
    /// Why, in the operator's words.
    public var reason: String
    /// Who: the API client or the CLI user.
    public var by: String
    /// `abort --keep`: give the sequence up without reverting what it applied.
    public var keep: Bool = false
    /// `refresh --now`: run it now or refuse, instead of queueing it until it may run.
    public var now: Bool = false

    private enum CodingKeys: String, CodingKey { case kind, force, reason, by, keep, now }

    /// Decodes a command; `keep` is absent from journals written before it existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(OperatorCommandKind.self, forKey: .kind)
        force = try container.decode(Bool.self, forKey: .force)
        reason = try container.decode(String.self, forKey: .reason)
        by = try container.decode(String.self, forKey: .by)
        keep = try container.decodeIfPresent(Bool.self, forKey: .keep) ?? false
        now = try container.decodeIfPresent(Bool.self, forKey: .now) ?? false
    }

    /// Encodes a command; `now` only when set, so older journals' shape is kept.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(force, forKey: .force)
        try container.encode(reason, forKey: .reason)
        try container.encode(by, forKey: .by)
        try container.encode(keep, forKey: .keep)
        if now { try container.encode(now, forKey: .now) }
    }

    /// `text` fit for a log line and the journal: control characters (newlines, escapes) become
    /// spaces, and it is cut at `limit` characters.
    public static func sanitized(_ text: String, limit: Int = 500) -> String {
        String(String(text.unicodeScalars.map { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? " " : Character($0) })
            .prefix(limit))
    }

    /// Creates a command.
    public init(
        _ kind: OperatorCommandKind, force: Bool = false, reason: String = "", by: String = "operator", keep: Bool = false, now: Bool = false
    ) {
        self.keep = keep
        self.now = now
        self.kind = kind
        self.force = force
        self.reason = reason
        self.by = by
    }
}

/// An input to a service's state machine.
public enum FailoverEvent: Sendable, Equatable {
    /// A site's state after hysteresis; `detail` says why (e.g. the failing checks).
    case site(SiteRole, HealthState, detail: String)
    /// Every witness is down (`true`), or no longer.
    case isolated(Bool)
    /// The read-only preflight's latest verdict: nil when every step can run, else its summary.
    case preflight(problem: String?)
    /// An operator's command.
    case command(OperatorCommand)
    /// The running step finished; `serial` is the zone serial a DNS step produced, `swap` what a
    /// refresh step put in place.
    case stepSucceeded(index: Int, detail: String, serial: UInt32?, swap: RefreshSwap? = nil)
    /// The running step failed.
    case stepFailed(index: Int, message: String)
    /// Time passed (the owner calls this at `nextDeadline`).
    case tick
    /// The propagation watch of the switch that produced `serial` ended: every watched resolver
    /// and secondary answers it, or the rest were given up (`propagation_timeout`).
    case propagationSettled(serial: UInt32)
    /// A confirmation round's result: whether the primary's failing checks still failed and
    /// whether a witness answered (true when there are none), in that same round; `heldBy` says
    /// why the cluster does not allow an automatic failover now (no quorum of sites, not the
    /// leader), nil standalone or when it does.
    case confirmation(round: Int, primaryFailing: Bool, witnessUp: Bool, detail: String, heldBy: String? = nil)
}
