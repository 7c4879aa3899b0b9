public import Foundation

/// `lifeboat drill --dry-run`: what a drill would do now, with nothing applied — whether it would
/// start (or why not), the read-only preflight (tables, privileges, Apache configtest), every
/// check run once, and each step of the failover and the failback with what it would do.
public struct DrillPlan: Sendable, Codable, Equatable {
    /// One check's run.
    public struct Check: Sendable, Codable, Equatable {
        /// `primary`, `standby` or `witness`.
        public var site: String
        public var check: String
        public var success: Bool
        public var message: String
        public var durationMs: Int

        public init(site: String, check: String, success: Bool, message: String, durationMs: Int) {
            self.site = site
            self.check = check
            self.success = success
            self.message = message
            self.durationMs = durationMs
        }
    }

    /// One step and what it would do.
    public struct Step: Sendable, Codable, Equatable {
        public var direction: FailoverDirection
        public var step: String
        public var does: String

        public init(direction: FailoverDirection, step: String, does: String) {
            self.direction = direction
            self.step = step
            self.does = does
        }
    }

    public var service: String
    public var checkedAt: Date
    /// Whether `lifeboat drill` would start now.
    public var wouldStart: Bool
    /// Why it would be refused, when it would.
    public var refusal: String?
    public var preflight: PreflightReport
    public var checks: [Check]
    public var steps: [Step]
    /// Whom the propagation watch would ask after each switch.
    public var watched: [PropagationTarget]

    public init(
        service: String, checkedAt: Date, wouldStart: Bool, refusal: String?, preflight: PreflightReport, checks: [Check], steps: [Step],
        watched: [PropagationTarget]
    ) {
        self.service = service
        self.checkedAt = checkedAt
        self.wouldStart = wouldStart
        self.refusal = refusal
        self.preflight = preflight
        self.checks = checks
        self.steps = steps
        self.watched = watched
    }

    /// Whether everything it ran passed and the drill would start.
    public var ok: Bool { wouldStart && preflight.ok && checks.allSatisfy(\.success) }
}
