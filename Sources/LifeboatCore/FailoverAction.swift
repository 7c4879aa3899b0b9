

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
    /// Watch how resolvers and secondaries take the switch that produced `serial` (a drain waits
    /// for it), unless that watch already runs; report `propagationSettled` when it ends.
    case watchPropagation(serial: UInt32)
}
