import Foundation
import LifeboatConfig
import LifeboatCore

/// A site's health as the monitor reports it, with its checks.
struct ServiceHealth {
    var primary: (state: HealthState, detail: String)
    var standby: (state: HealthState, detail: String)
    var primaryChecks: [CheckStatus]
    var standbyChecks: [CheckStatus]
}

/// Builds a service's status (`/api/v1/services/{name}`, the page, the CLI) from a snapshot of
/// its state machine, its journal and its sites' health: no actor, nothing awaited, testable.
struct ServiceStatusBuilder {
    let settings: ServiceSettings
    let machine: FailoverStateMachine
    let history: [JournalRecord]
    let preflight: PreflightReport?
    let health: ServiceHealth
    let serial: UInt32?
    let now: Date
    /// The propagation watch's view of the last switch.
    var propagation: PropagationStatus? = nil

    var status: ServiceStatus {
        let site = machine.dnsSite
        var standbyDetail = health.standby.detail
        let failing = health.standbyChecks.filter { $0.state == .down }
        if site == .standby, !failing.isEmpty, failing.allSatisfy({ $0.last?.reason == .replicationStopped }) {
            standbyDetail = "replication stopped on purpose while the standby serves; it is resynced and restarted on failback"
        }
        var status = ServiceStatus(
            name: settings.name, phase: machine.phase, since: machine.phaseSince, reason: machine.phaseReason, paused: machine.paused,
            activeSite: site, zone: settings.zone.description, serial: serial, owners: settings.owners.map(\.description),
            addresses: settings.addresses(of: site).map(\.description),
            ttl: machine.ttlLowered ? settings.switchoverTTL : settings.ttl, waiting: machine.waiting, countdowns: countdowns, sequence: sequenceStatus,
            primary: SiteStatus(
                state: health.primary.state, detail: health.primary.detail, addresses: settings.primary.addresses.map(\.description),
                checks: health.primaryChecks),
            standby: SiteStatus(
                state: health.standby.state, detail: standbyDetail, addresses: settings.standby.addresses.map(\.description),
                checks: health.standbyChecks),
            lastAutomaticFailover: machine.lastAutomaticFailover, failback: settings.failback.rawValue,
            preflight: preflight, refresh: machine.refreshStatus(now: now))
        status.lastSequence = machine.sequence == nil ? lastSequence : nil
        status.phases = PhaseSpan.spans(
            changes: history.compactMap { if case .phaseChanged(let phase, _) = $0.entry { ($0.at, phase) } else { nil } },
            current: machine.phase, currentSince: machine.phaseSince, now: now)
        status.propagation = propagation
        status.lastDrill = DrillReport.last(in: history)
        status.ttlLowered = machine.ttlLowered
        status.servedBy = machine.servingTrigger
        return status
    }

    /// The newest sequence of the journal that ended: finished, aborted or stopped.
    private var lastSequence: SequenceStatus? {
        guard let startIndex = history.lastIndex(where: { if case .sequenceStarted = $0.entry { true } else { false } }),
              case .sequenceStarted(let id, let direction, let steps, let trigger, let forced, _) = history[startIndex].entry else { return nil }
        let (started, finished) = stepRecords(of: id, in: history[startIndex...])
        let statuses = steps.enumerated().map { index, step -> StepStatus in
            guard let end = finished[index] else { return StepStatus(name: step.description, state: .pending, durationMs: nil, detail: nil) }
            let duration = started[index].map { Int(end.0.timeIntervalSince($0) * 1000) }
            return StepStatus(name: step.description, state: end.1 ? .done : .failed, durationMs: duration, detail: end.2)
        }
        return SequenceStatus(direction: direction, trigger: trigger, forced: forced, steps: statuses, attempt: 1)
    }

    private var countdowns: [Countdown] {
        // The next refresh and the data's age are the refresh block's (`refresh`), not countdowns.
        return machine.timers(now: now).filter { ($0.until > now || $0.actionable) && $0.name != .refresh && $0.name != .dataStale }
            .map { Countdown(name: $0.name, until: $0.until) }
    }

    private var sequenceStatus: SequenceStatus? {
        guard let sequence = machine.sequence else { return nil }
        let (started, finished) = stepRecords(of: sequence.id, in: history[...])
        let steps = sequence.steps.enumerated().map { index, step -> StepStatus in
            let state: StepState
            if index < sequence.index {
                state = .done
            } else if index > sequence.index {
                state = .pending
            } else {
                switch sequence.status {
                case .running: state = .running
                case .draining: state = .waiting
                case .waitingRetry: state = .retrying
                case .halted: state = .failed
                }
            }
            let duration = index < sequence.index ? zip(started[index], finished[index]?.0).map { Int($1.timeIntervalSince($0) * 1000) } : nil
            return StepStatus(name: step.description, state: state, durationMs: duration, detail: finished[index]?.2)
        }
        return SequenceStatus(direction: sequence.direction, trigger: sequence.trigger, forced: sequence.forced, steps: steps, attempt: sequence.attempt)
    }
}

/// When each step of sequence `id` last started, and how it last ended (when, success, message).
private func stepRecords(of id: Int, in records: ArraySlice<JournalRecord>) -> (started: [Int: Date], finished: [Int: (Date, Bool, String)]) {
    var started: [Int: Date] = [:]
    var finished: [Int: (Date, Bool, String)] = [:]
    for record in records {
        switch record.entry {
        case .stepStarted(id, let index, _): started[index] = record.at
        case .stepFinished(id, let index, let success, let message, _): finished[index] = (record.at, success, message)
        default: break
        }
    }
    return (started, finished)
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
