import Foundation

/// The body of a control call: `{"force": bool, "reason": "...", "by": "...", "keep": bool, "now": bool, "dry_run": bool}`, all optional.
public struct CommandRequest: Codable, Sendable {
    /// Skip the gates.
    public var force: Bool?
    /// Why, in words.
    public var reason: String?
    /// Who (for the journal).
    public var by: String?
    /// `abort` only: keep what the sequence applied instead of reverting it.
    public var keep: Bool?
    /// `refresh` only: run it now or refuse, instead of queueing it.
    public var now: Bool?
    /// `drill` only: apply nothing; answer what the drill would do (`DrillPlan`).
    public var dryRun: Bool?

    enum CodingKeys: String, CodingKey {
        case force, reason, by, keep, now
        case dryRun = "dry_run"
    }

    /// Creates a value with every field given.
    public init(force: Bool? = nil, reason: String? = nil, by: String? = nil, keep: Bool? = nil, now: Bool? = nil, dryRun: Bool? = nil) {
        self.dryRun = dryRun
        self.keep = keep
        self.now = now
        self.force = force
        self.reason = reason
        self.by = by
    }
}
