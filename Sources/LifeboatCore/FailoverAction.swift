/// What the owning actor must do after an event, in order.
public enum FailoverAction: Sendable, Equatable {
    /// Append this record to the journal (with fsync) before carrying out the next action.
    case journal(JournalRecord)
    /// Run a step, then report `stepSucceeded`/`stepFailed` with the same index.
    case runStep(index: Int, step: FailoverStep, direction: FailoverDirection, attempt: Int)
    /// Tell people (logs, webhooks): a state change or a failed step.
    case notify(FailoverNotice)
    /// The answer to an operator's command.
    case reply(CommandReply)
    /// End the running step now (its command's process group: SIGTERM, then SIGKILL); its result
    /// comes back as usual, and the abort then carries on.
    case cancelStep(index: Int)
    /// Run one confirmation round now — every failing primary check and every witness check at
    /// once — and report `confirmation` with the same round.
    case confirm(round: Int)
}

/// The answer to an operator's command.
public struct CommandReply: Sendable, Equatable {
    /// Whether the command was carried out.
    public var accepted: Bool
    /// What happened or why not.
    public var message: String

    /// Creates a reply.
    public init(accepted: Bool, message: String) {
        self.accepted = accepted
        self.message = message
    }
}

/// Something an operator should hear about.
public struct FailoverNotice: Sendable, Equatable {
    /// What kind of news.
    public enum Kind: String, Sendable, Equatable {
        case stateChanged = "state_changed"
        case stepFailed = "step_failed"
        case sequenceStopped = "sequence_stopped"
        case blocked
        /// The read-only preflight started failing, or passes again.
        case preflight
        /// Lifeboat's own host could not run a check (file descriptors, memory, disk).
        case local
    }
    /// A short kind.
    public var kind: Kind
    /// The phase.
    public var phase: FailoverPhase
    /// The library's or the check's own words.
    public var message: String

    /// Creates a notice.
    public init(kind: Kind, phase: FailoverPhase, message: String) {
        self.kind = kind
        self.phase = phase
        self.message = message
    }
}
