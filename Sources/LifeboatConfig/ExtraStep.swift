

/// One `[[service.readonly.extra]]` step.
public enum ExtraStep: Sendable, Equatable {
    /// `{ sql = "...", revert_sql = "..." }`, run on `readonly.mysql`.
    case sql(apply: String, revert: String?)
    /// `{ command = [...], revert_command = [...] }`.
    case command(apply: [String], revert: [String]?)
}
