extension JournalRecord {
    /// The record in words, and a short kind, for history listings.
    public func historyEntry(service: String) -> HistoryEntry {
        let (kind, summary): (HistoryKind, String)
        switch entry {
        case .sequenceStarted(let id, let direction, let steps, let trigger, let forced, let reason):
            (kind, summary) = (.sequence, "\(direction.rawValue) #\(id) started (\(trigger.rawValue)\(forced ? ", forced" : "")): \(reason); steps: \(steps.map(\.description).joined(separator: ", "))")
        case .stepStarted(let id, let index, let attempt):
            (kind, summary) = (.step, "#\(id) step \(index + 1) started\(attempt > 1 ? " (try \(attempt))" : "")")
        case .stepFinished(let id, let index, let success, let message, let serial):
            (kind, summary) = (.step, "#\(id) step \(index + 1) \(success ? "done" : "FAILED"): \(message)\(serial.map { " (serial \($0))" } ?? "")")
        case .sequenceHalted(let id, _, let reason):
            (kind, summary) = (.sequence, "#\(id) stopped: \(reason)")
        case .sequenceRetried(let id, let by, let reason):
            (kind, summary) = (.command, "#\(id) retried by \(by)\(reason.isEmpty ? "" : ": \(reason)")")
        case .sequenceAborted(let id, let by, let reason):
            (kind, summary) = (.command, "#\(id) aborted by \(by)\(reason.isEmpty ? "" : ": \(reason)")")
        case .sequenceFinished(let id):
            (kind, summary) = (.sequence, "#\(id) finished")
        case .phaseChanged(let phase, let reason):
            (kind, summary) = (.phase, "\(phase.rawValue): \(reason)")
        case .paused(let value, let by, let reason):
            (kind, summary) = (.pause, "\(value ? "paused" : "resumed") by \(by)\(reason.isEmpty ? "" : ": \(reason)")")
        case .servingDegraded(let id, let missing):
            (kind, summary) = (.sequence, "#\(id) on_failure = serve: DNS to the standby WITHOUT read-only step(s) \(missing.map(\.description).joined(separator: ", "))")
        case .maintenance(let action, let success, let message):
            (kind, summary) = (.maintenance, "\(action) \(success ? "done" : "FAILED"): \(message)")
        case .refreshSwapped(let id, let swap):
            (kind, summary) = (.refresh, "#\(id) refresh swapped \(swap.tables) tables into the live database\(swap.rows.map { ", ≈\($0) rows" } ?? "")\(swap.bytes.map { ", \($0) bytes" } ?? "")\(swap.dataAgeSeconds.map { "; data age \($0)s" } ?? "")")
        case .refreshRequested(let by, let reason):
            (kind, summary) = (.refresh, "refresh asked for by \(by)\(reason.isEmpty ? "" : ": \(reason)")")
        case .refreshPostponed(let reason):
            (kind, summary) = (.refresh, "refresh postponed: \(reason)")
        case .drillBecameReal(let reason):
            (kind, summary) = (.phase, reason)
        case .propagation(let id, let site, let serial, let target, let seconds, let waited, let answer):
            let outcome = seconds.map { "answered the new \(target.kind == .resolver ? "addresses" : "serial") after \(HumanTime.tenths($0))" }
                ?? "STILL OLD after \(HumanTime.tenths(waited))"
            (kind, summary) = (.propagation, "#\(id) DNS → \(site.rawValue), serial \(serial): \(target) \(outcome) (\(answer))")
        case .commandRefused(let command, let message):
            (kind, summary) = (.command, "\(command.kind.rawValue)\(command.force ? " --force" : "") by \(command.by) refused: \(message)")
        }
        return HistoryEntry(service: service, at: at, kind: kind, summary: summary)
    }
}
