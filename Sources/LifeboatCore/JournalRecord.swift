public import Foundation

/// One line of a service's journal: the append-only, fsynced record the state machine is
/// rebuilt from after a restart, and the service's history.
public struct JournalRecord: Sendable, Codable, Equatable {
    /// When (wall clock, so anti-flap survives restarts).
    public var at: Date
    /// What happened.
    public var entry: Entry

    /// What a record says.
    public enum Entry: Sendable, Codable, Equatable {
        /// A sequence began with these steps.
        case sequenceStarted(id: Int, direction: FailoverDirection, steps: [FailoverStep], trigger: SequenceTrigger, forced: Bool, reason: String)
        /// A step is about to run (written before it runs).
        case stepStarted(sequence: Int, index: Int, attempt: Int)
        /// A step ended (written after it ran).
        case stepFinished(sequence: Int, index: Int, success: Bool, message: String, serial: UInt32?)
        /// The sequence stopped at a step that failed `step_retries` times.
        case sequenceHalted(sequence: Int, index: Int, reason: String)
        /// An operator asked for the halted step to run again.
        case sequenceRetried(sequence: Int, by: String, reason: String)
        /// `on_failure = "serve"`: the halted failover goes on to its DNS step without these read-only steps.
        case servingDegraded(sequence: Int, missing: [ReadOnlyStepID])
        /// The sequence was given up; the service stays where DNS points.
        case sequenceAborted(sequence: Int, by: String, reason: String)
        /// Every step ran.
        case sequenceFinished(sequence: Int)
        /// The phase changed (for history; restore derives the phase from sequences).
        case phaseChanged(FailoverPhase, reason: String)
        /// Paused (`true`) or resumed.
        case paused(Bool, by: String, reason: String)
        /// An operator command that was refused.
        case commandRefused(OperatorCommand, message: String)
        /// Lifeboat put something right outside a sequence (e.g. `database-read-only` on a
        /// replica found writable); for history, restore ignores it.
        case maintenance(action: String, success: Bool, message: String)
        /// A refresh swapped its verified copy into the live database (written before its step's end).
        case refreshSwapped(sequence: Int, swap: RefreshSwap)
        /// An operator asked for a refresh that cannot run now; it runs once it may.
        case refreshRequested(by: String, reason: String)
        /// A refresh that came due (or was asked for) waits: the standby serves, a sequence runs, ….
        case refreshPostponed(reason: String)
        /// The primary went down during a drill: its failover is a real one from here.
        case drillBecameReal(reason: String)
        /// After a DNS step: how long one resolver or secondary took to answer the new addresses
        /// (or serial); `seconds` nil when it still answered the old after `waited` seconds.
        case propagation(sequence: Int, site: SiteRole, serial: UInt32, target: PropagationTarget, seconds: Double?, waited: Double, answer: String)
    }

    /// Creates a record.
    public init(at: Date, _ entry: Entry) {
        self.at = at
        self.entry = entry
    }
}
