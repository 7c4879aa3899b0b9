import DomainNames
import Foundation
public import LifeboatConfig
public import LifeboatCore
import Logging
import NativeClients
import SystemIO
import StandbyActions

/// What a step that succeeded reports back to the machine.
struct StepOutput: Sendable {
    var detail: String
    var serial: UInt32? = nil
    var swap: RefreshSwap? = nil
}

/// Owns one service's state machine and carries out its actions: journal first (fsync), then
/// the step, whose result goes back in as an event; timers as `tick`s at the machine's deadline.
public actor ServiceController {
    /// The service's name.
    public nonisolated let name: String
    /// The service's settings.
    public nonisolated let settings: ServiceSettings
    private var machine: FailoverStateMachine
    private let journal: Journal
    private let executor: StandbyExecutor
    private let zone: any ZonePublisher
    private let logger: Logger
    private let onNotice: @Sendable (String, FailoverNotice) -> Void
    /// Runs a confirmation round: the primary's failing checks and every witness, at once.
    private let confirm: @Sendable () async -> ConfirmationRound
    /// When the standby's data was taken, as its checks last measured it.
    private let measuredDataAsOf: @Sendable () async -> Date?
    private let metrics: any ControllerMetrics
    private let crashPoint = CrashPoint.fromEnvironment()
    private var history: [JournalRecord]
    private var timer: Task<Void, Never>?
    private var stepTask: Task<Void, Never>?
    private var stepCancel: CancelSignal?
    private var stopping = false
    private var pendingStart: [FailoverAction]
    private var preflight: PreflightReport?
    private var maintenanceTask: Task<Void, Never>?
    private var lastLocalNotice: Date?
    private var preflightTask: Task<Void, Never>?
    /// The cluster this site belongs to (nil standalone).
    private let gate: (any ClusterGate)?
    /// In a cluster: this site does not lead, so its machine only mirrors the cluster's journal
    /// (`follow`); it runs no step, starts no sequence and refuses commands.
    private(set) var passive: Bool
    /// The next index in the cluster's journal, and the writes to it in order.
    private var sharedIndex = 0
    private var sharedWrites: Task<Bool, Never>?
    private let plan: StepPlan
    private let policy: FailoverPolicy
    /// Runs every check of the service and every witness once (`drill --dry-run`).
    private let sweep: @Sendable () async -> [DrillPlan.Check]
    private let watchSetup: PropagationWatch.Setup?
    /// The propagation watch (made at start: it journals through this controller).
    private var watch: PropagationWatch?
    /// The serial whose switch the watch was last started for.
    private var watchedSerial: UInt32?
    /// How often the read-only preflight runs (it is cheap: a few information_schema queries).
    static let preflightInterval: Duration = .seconds(60)
    private static let historyKept = 2000

    init(
        settings: ServiceSettings, machine: FailoverStateMachine, restoreActions: [FailoverAction], journal: Journal,
        history: [JournalRecord], executor: StandbyExecutor, zone: any ZonePublisher, logger: Logger,
        metrics: any ControllerMetrics, confirm: @escaping @Sendable () async -> ConfirmationRound,
        onNotice: @escaping @Sendable (String, FailoverNotice) -> Void, plan: StepPlan, policy: FailoverPolicy,
        gate: (any ClusterGate)? = nil, measuredDataAsOf: @escaping @Sendable () async -> Date? = { nil },
        sweep: @escaping @Sendable () async -> [DrillPlan.Check] = { [] }, watch: PropagationWatch.Setup? = nil
    ) {
        self.sweep = sweep
        self.watchSetup = watch
        self.measuredDataAsOf = measuredDataAsOf
        self.gate = gate
        self.passive = gate != nil
        self.plan = plan
        self.policy = policy
        self.confirm = confirm
        self.metrics = metrics
        self.name = settings.name
        self.settings = settings
        self.machine = machine
        self.pendingStart = restoreActions
        self.journal = journal
        self.history = Array(history.suffix(Self.historyKept))
        self.executor = executor
        self.zone = zone
        self.logger = logger
        self.onNotice = onNotice
    }

    /// Makes sure DNS serves the site the service is at, then resumes an interrupted sequence.
    func start() async {
        if let watchSetup {
            let watch = PropagationWatch(
                settings: settings, secondaries: watchSetup.secondaries, asker: watchSetup.asker,
                record: { entry in await self.recordPropagation(entry) }, settled: { serial in await self.propagationSettled(serial) })
            await watch.restore(PropagationStatus.last(in: history))
            self.watch = watch
        }
        if passive {
            pendingStart = []  // the cluster's journal, not this site's, says what to resume (`lead`)
        } else if machine.sequence == nil {
            await ensureDNS(site: machine.dnsSite)
        }
        logger.notice("service.started", metadata: [
            "service": "\(name)", "failover.phase": "\(machine.phase)", "failover.site": "\(machine.dnsSite)",
            "failover.paused": "\(machine.paused)"])
        let actions = pendingStart
        pendingStart = []
        carryOut(actions)
        preflightTask = Task {
            while !Task.isCancelled {
                await self.runPreflight()
                try? await Task.sleep(for: Self.preflightInterval)
            }
        }
    }

    /// The standby's replica was found writable (`standby_writable`). While the primary is active
    /// and no sequence runs, Lifeboat sets `read_only = ON` again and journals it; otherwise the
    /// sequence owns the database's state.
    func standbyWritable() {
        guard settings.readOnly.replicaReadOnly, machine.phase == .primaryActive, machine.sequence == nil,
              maintenanceTask == nil, !stopping, !passive else { return }
        let executor = self.executor
        maintenanceTask = Task {
            let outcome: (Bool, String)
            do { outcome = (true, try await executor.run(.databaseReadOnly)) } catch { outcome = (false, "\(error)") }
            self.maintenanceDone(action: FailoverStep.databaseReadOnly.description, outcome)
        }
    }

    /// The watch of `serial`'s switch ended: a drain waiting for it may end.
    private func propagationSettled(_ serial: UInt32) {
        guard !passive, !stopping else { return }
        send(.propagationSettled(serial: serial))
    }

    /// Watches the DNS step that produced `serial` (DNS at `site`) unless that watch already runs:
    /// after each DNS step, and when a drain asks (after a restart, or in a rollback, the DNS
    /// step's own watch may be gone).
    private func watchSwitch(serial: UInt32, site: SiteRole) {
        guard watchedSerial != serial, !passive, let watch, let sequence = machine.sequence?.id else { return }
        watchedSerial = serial
        let switchedAt = Date()
        Task { await watch.begin(sequence: sequence, site: site, serial: serial, at: switchedAt) }
    }

    /// A propagation outcome, journaled (by the site that acts only).
    private func recordPropagation(_ entry: JournalRecord.Entry) {
        guard !passive, !stopping else { return }
        if case .propagation(_, _, _, let target, let seconds, let waited, _) = entry {
            logger.notice("dns.propagation", metadata: [
                "service": "\(name)", "dns.target": "\(target)", "dns.switched_seconds": "\(seconds.map { "\($0)" } ?? "still old")",
                "dns.waited_seconds": "\(waited)"])
        }
        carryOut([.journal(JournalRecord(at: Date(), entry))])
    }

    private func maintenanceDone(action: String, _ outcome: (success: Bool, message: String)) {
        maintenanceTask = nil
        logger.warning("maintenance.done", metadata: [
            "service": "\(name)", "maintenance.action": "\(action)", "maintenance.success": "\(outcome.success)",
            "maintenance.message": "\(outcome.message)"])
        carryOut([.journal(JournalRecord(at: Date(), .maintenance(action: action, success: outcome.success, message: outcome.message)))])
    }

    /// A check could not run on this host (EMFILE, ENOMEM, …): not evidence about any site. Tells
    /// people (log, webhook) once per minute at most.
    func localFailure(check: String, message: String) {
        if let last = lastLocalNotice, Date().timeIntervalSince(last) < 60 { return }
        lastLocalNotice = Date()
        let notice = FailoverNotice(
            kind: .local, phase: machine.phase,
            message: "Lifeboat's own host could not run check \(check): \(message) — counted as unknown, not as the site being down")
        log(notice)
        onNotice(name, notice)
    }

    /// Runs the read-only preflight now (at start, every minute, on SIGHUP) and tells the machine.
    @discardableResult
    public func runPreflight() async -> PreflightReport {
        let report = await executor.preflight()
        // A preflight cut short by shutdown says nothing about the standby.
        guard !Task.isCancelled, !stopping else { return report }
        let changed = report.problems != preflight?.problems
        preflight = report
        if changed {
            if report.ok {
                logger.notice("preflight.ok", metadata: ["service": "\(name)", "preflight.notes": "\(report.notes.joined(separator: "; "))"])
            } else {
                logger.warning("preflight.failing", metadata: [
                    "service": "\(name)", "preflight.problems": "\(report.problems.map { "\($0.message) [\($0.key)]" }.joined(separator: "; "))"])
            }
        }
        if !stopping { send(.preflight(problem: report.ok ? nil : report.summary)) }
        return report
    }

    /// Sends one event; returns the reply when it was a command.
    @discardableResult
    func send(_ event: FailoverEvent) -> CommandReply? {
        if passive, let gate {
            // A follower's machine moves only with the cluster's journal.
            guard case .command = event else { return nil }
            return CommandReply(accepted: false, message: "\(gate.leaderDescription); not carried out here")
        }
        let actions = machine.handle(event, now: Date())
        return carryOut(actions)
    }

    /// Carries out an operator's command.
    public func command(_ command: OperatorCommand) -> (reply: CommandReply, phase: FailoverPhase) {
        logger.notice("command.received", metadata: [
            "service": "\(name)", "command": "\(command.kind.rawValue)", "command.force": "\(command.force)",
            "command.by": "\(command.by)", "command.reason": "\(command.reason)"])
        let reply = send(.command(command)) ?? CommandReply(accepted: false, message: "no answer")
        return (reply, machine.phase)
    }

    /// Stops launching steps and waits (up to `limit`) for a running step to end and be journaled.
    func shutdown(limit: Duration = .seconds(10)) async {
        stopping = true
        timer?.cancel()
        preflightTask?.cancel()
        await watch?.stop()
        guard let task = stepTask else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await task.value }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    // MARK: - Actions

    @discardableResult
    private func carryOut(_ actions: [FailoverAction]) -> CommandReply? {
        var reply: CommandReply?
        var journalBroken: String?
        for action in actions {
            switch action {
            case .journal(let record):
                do {
                    try journal.append(record)
                } catch {
                    journalBroken = "\(error)"
                    logger.critical("journal.write.failed", metadata: ["service": "\(name)", "error": "\(error)"])
                }
                if case .sequenceStarted(_, let direction, _, _, _, _) = record.entry {
                    metrics.sequenceStarted(service: name, direction: direction)
                }
                history.append(record)
                if history.count > Self.historyKept { history.removeFirst(history.count - Self.historyKept) }
                share(record)
            case .runStep(let index, let step, _, let attempt):
                if let journalBroken {
                    // Never act on what is not journaled: fail the step so the machine retries or stops.
                    Task { await self.stepEnded(index: index, step: step, outcome: .failure(JournalWriteError(message: journalBroken))) }
                } else if !stopping {
                    launch(index: index, step: step, attempt: attempt)
                }
            case .notify(let notice):
                log(notice)
                onNotice(name, notice)
            case .reply(let answer):
                reply = answer
            case .watchPropagation(let serial):
                watchSwitch(serial: serial, site: machine.dnsSite)
            case .cancelStep:
                stepCancel?.cancel()
                logger.warning("step.cancel", metadata: ["service": "\(name)"])
            case .confirm(let round):
                guard !stopping else { break }
                let confirm = self.confirm
                Task {
                    var result = await confirm()
                    if let gate = self.gate, result.primaryFailing, result.witnessUp {
                        result.heldBy = await gate.failoverHold(service: self.name, primaryDetail: result.detail)
                    }
                    self.logger.notice("failover.confirmation", metadata: [
                        "service": "\(self.name)", "confirmation.primary_failing": "\(result.primaryFailing)",
                        "confirmation.witness_up": "\(result.witnessUp)", "confirmation.detail": "\(result.detail)"])
                    self.send(.confirmation(round: round, primaryFailing: result.primaryFailing, witnessUp: result.witnessUp, detail: result.detail,
                                        heldBy: result.heldBy))
                }
            }
        }
        scheduleTimer()
        return reply
    }

    private func launch(index: Int, step: FailoverStep, attempt: Int) {
        logger.notice("step.started", metadata: ["service": "\(name)", "step": "\(step)", "step.attempt": "\(attempt)"])
        let executor = self.executor
        let crashPoint = self.crashPoint
        let cancel = CancelSignal()
        let serving = servingFacts(for: step)
        stepCancel = cancel
        stepTask = Task {
            if let gate = self.gate {
                // The cluster's journal holds what came before this step, and the lease is fresh.
                guard await self.sharedJournalWritten() else {
                    self.standDown("the cluster's journal could not be written before \(step)")
                    return
                }
                if let refusal = await gate.stepRefusal() {
                    self.standDown("\(step) not started: \(refusal)")
                    return
                }
            }
            let started = ContinuousClock.now
            crashPoint?.fire(at: step, .before)
            let outcome: Result<StepOutput, any Error>
            do {
                if case .switchDNS(let site) = step {
                    let (detail, serial) = try await self.switchDNS(to: site)
                    if let serial { self.watchSwitch(serial: serial, site: site) }
                    outcome = .success(StepOutput(detail: detail, serial: serial))
                } else if step == .lowerTTL || step == .restoreTTL {
                    let (detail, serial) = try await self.setTTL(lowered: step == .lowerTTL)
                    // Watched too: the secondaries take the new serial (resolvers answer the same
                    // addresses), and a drain after it waits for that watch.
                    if let serial { self.watchSwitch(serial: serial, site: self.machine.dnsSite) }
                    outcome = .success(StepOutput(detail: detail, serial: serial))
                } else if step == .refresh {
                    let (detail, swap) = try await executor.refresh(cancel: cancel)
                    outcome = .success(StepOutput(detail: detail, swap: swap))
                } else {
                    var facts = serving
                    if facts != nil, facts?.dataAsOf == nil { facts?.dataAsOf = await self.measuredDataAsOf() }
                    outcome = .success(StepOutput(detail: try await executor.run(step, cancel: cancel, facts: facts)))
                }
            } catch {
                outcome = .failure(error)
            }
            crashPoint?.fire(at: step, .after)
            let succeeded = if case .success = outcome { true } else { false }
            self.metrics.stepEnded(service: self.name, step: step.description, duration: ContinuousClock.now - started, success: succeeded)
            await self.stepEnded(index: index, step: step, outcome: outcome)
        }
    }

    /// For the Apache step of a failover: since when the standby serves (the failover's start) and,
    /// for a dump-refreshed standby, its data's age (the last refresh's start); a replica's comes
    /// from its checks when the step runs.
    private func servingFacts(for step: FailoverStep) -> ServingFacts? {
        guard step == .applyReadOnly(.apache), let sequence = machine.sequence, sequence.direction == .failover else { return nil }
        return ServingFacts(since: sequence.startedAt ?? Date(), dataAsOf: machine.refresh.dataAsOf)
    }

    private func stepEnded(index: Int, step: FailoverStep, outcome: Result<StepOutput, any Error>) async {
        // A site that stood down meanwhile reports nothing: the new leader runs the step again.
        guard !passive else { return }
        if step == .refresh {
            // The standby's tables were replaced (or a failed load touched the scratch copy only):
            // the preflight's verdict is renewed before a failover can rest on it.
            await runPreflight()
            guard !passive else { return }
        }
        switch outcome {
        case .success(let output):
            logger.notice("step.done", metadata: ["service": "\(name)", "step": "\(step)", "step.detail": "\(output.detail)"])
            send(.stepSucceeded(index: index, detail: output.detail, serial: output.serial, swap: output.swap))
        case .failure(let error):
            logger.error("step.failed", metadata: ["service": "\(name)", "step": "\(step)", "error": "\(error)"])
            send(.stepFailed(index: index, message: "\(error)"))
        }
    }

    private func scheduleTimer() {
        timer?.cancel()
        guard !stopping, let deadline = machine.nextDeadline() else { return }
        let delay = max(0, deadline.timeIntervalSinceNow)
        timer = Task {
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000) + 1))
            guard !Task.isCancelled else { return }
            self.send(.tick)
        }
    }

    private func log(_ notice: FailoverNotice) {
        let metadata: Logger.Metadata = ["service": "\(name)", "failover.phase": "\(notice.phase)", "failover.message": "\(notice.message)"]
        switch notice.kind {
        case .stateChanged where notice.phase == .standbyActive: logger.warning("failover.state", metadata: metadata)
        case .stateChanged: logger.notice("failover.state", metadata: metadata)
        case .blocked: logger.warning("failover.blocked", metadata: metadata)
        case .preflight: logger.warning("preflight.changed", metadata: metadata)
        case .local: logger.critical("local.failure", metadata: metadata)
        case .coordination: logger.critical("cluster.coordination", metadata: metadata)
        case .stepFailed: logger.error("failover.step.failed", metadata: metadata)
        case .sequenceStopped: logger.critical("failover.stopped", metadata: metadata)
        case .refreshProblem: logger.error("refresh.problem", metadata: metadata)
        case .refresh: logger.notice("refresh", metadata: metadata)
        }
    }

    // MARK: - Cluster

    /// Queues `record` for the cluster's journal (as leader), after the writes before it.
    private func share(_ record: JournalRecord) {
        guard let gate, !passive else { return }
        let index = sharedIndex
        sharedIndex += 1
        let previous = sharedWrites
        let service = name
        sharedWrites = Task {
            guard await previous?.value ?? true else { return false }
            return await gate.share([record], service: service, at: index)
        }
    }

    /// Whether every record so far is in the cluster's journal.
    private func sharedJournalWritten() async -> Bool {
        await sharedWrites?.value ?? true
    }

    /// Leads the service from the cluster's journal (this site became leader, or found its
    /// leadership again after losing etcd): the journal file takes the cluster's records, the
    /// machine is restored from them and resumes an unfinished sequence at its first unfinished
    /// step (steps are idempotent), then hears the health and preflight this site sees now.
    func lead(records: [JournalRecord], health: [FailoverEvent]) async {
        do { try journal.replace(with: records) } catch {
            logger.critical("journal.write.failed", metadata: ["service": "\(name)", "error": "\(error)"])
        }
        let restored = await restore(from: records)
        history = Array(records.suffix(Self.historyKept))
        sharedIndex = records.count
        sharedWrites = nil
        passive = false
        logger.notice("cluster.leading", metadata: [
            "service": "\(name)", "failover.phase": "\(machine.phase)", "journal.records": "\(records.count)"])
        if machine.sequence == nil { await ensureDNS(site: machine.dnsSite) }
        carryOut(restored)
        for event in health { send(event) }
        if let preflight { send(.preflight(problem: preflight.ok ? nil : preflight.summary)) }
    }

    /// Mirrors the cluster's journal (this site does not lead): the machine is restored from
    /// it and carries nothing out.
    func follow(records: [JournalRecord]) async {
        if !passive { standDown("another site leads") }
        _ = await restore(from: records)
        history = Array(records.suffix(Self.historyKept))
    }

    /// Stops acting (leadership gone or etcd lost): no new step, no timer; a running step is
    /// told to stop (it ends within its limit) and its result is left to the next leader.
    func standDown(_ reason: String) {
        guard !passive else { return }
        passive = true
        timer?.cancel()
        stepCancel?.cancel()
        let notice = FailoverNotice(kind: .coordination, phase: machine.phase, message: "this site stopped acting for the cluster: \(reason)")
        log(notice)
        onNotice(name, notice)
    }

    private func restore(from records: [JournalRecord]) async -> [FailoverAction] {
        // In a cluster, what DNS serves is the zone state the leader last published, read now.
        await zone.refresh([settings.zone])
        let restored = await Self.restoredMachine(records: records, plan: plan, policy: policy, settings: settings, zone: zone)
        machine = restored.machine
        timer?.cancel()
        return restored.actions
    }

    /// The machine rebuilt from `records`, where what DNS serves (site and TTL) wins over the
    /// journal: a crash may fall between a DNS change and its record.
    static func restoredMachine(
        records: [JournalRecord], plan: StepPlan, policy: FailoverPolicy, settings: ServiceSettings, zone: any ZonePublisher
    ) async -> (machine: FailoverStateMachine, actions: [FailoverAction]) {
        var served: [[UInt8]]?
        var ttlLowered: Bool?
        if let owner = settings.owners.first {
            served = await zone.servedAddresses(of: owner)
            ttlLowered = await zone.servedTTL(of: owner).map { settings.switchoverTTL < settings.ttl && Int($0) == settings.switchoverTTL }
        }
        return FailoverStateMachine.restored(
            from: records, plan: plan, policy: policy, servedSite: settings.site(serving: served), servedTTLLowered: ttlLowered, now: Date())
    }

    // MARK: - DNS

    /// Points the owners at `site` (serial + 1, persisted, NOTIFY) and checks the result is served.
    private func switchDNS(to site: SiteRole) async throws -> (String, UInt32?) {
        // To the standby a switchover's lowered TTL stays; back at the primary the configured one.
        let ttl = site == .standby && machine.ttlLowered ? settings.switchoverTTL : settings.ttl
        let serials = try await zone.point(settings.owners, at: settings.addressBytes(of: site), ttl: UInt32(ttl))
        for owner in settings.owners where await zone.servedAddresses(of: owner) != settings.sortedAddressBytes(of: site) {
            throw DNSStepError(message: "\(owner) is not served with the \(site.rawValue) addresses after the change")
        }
        let serial = serials.values.max()
        return ("DNS → \(site.rawValue) (\(settings.owners.map(\.description).joined(separator: ", "))), serial \(serial.map(String.init) ?? "?")", serial)
    }

    /// A switchover's `dns-ttl:lower` (or an abort's `dns-ttl:restore`): the owners keep the
    /// addresses DNS points at, with `switchover_ttl` (or the configured TTL); serial + 1, NOTIFY.
    private func setTTL(lowered: Bool) async throws -> (String, UInt32?) {
        let ttl = lowered ? settings.switchoverTTL : settings.ttl
        let serials = try await zone.point(settings.owners, at: settings.addressBytes(of: machine.dnsSite), ttl: UInt32(ttl))
        let serial = serials.values.max()
        return ("TTL of \(settings.owners.map(\.description).joined(separator: ", ")) \(lowered ? "lowered" : "restored") to \(ttl)s, serial \(serial.map(String.init) ?? "?")", serial)
    }

    /// At start-up outside a sequence: serve the site the journal says, if the zone does not already.
    private func ensureDNS(site: SiteRole) async {
        var current: [[[UInt8]]?] = []
        for owner in settings.owners { current.append(await zone.servedAddresses(of: owner)) }
        guard current.contains(where: { $0 != settings.sortedAddressBytes(of: site) }) else { return }
        do {
            let (detail, _) = try await switchDNS(to: site)
            logger.notice("dns.ensured", metadata: ["service": "\(name)", "dns.detail": "\(detail)"])
        } catch {
            logger.error("dns.ensure.failed", metadata: ["service": "\(name)", "error": "\(error)"])
        }
    }

    // MARK: - Status

    /// The service's status, with the health from `monitor`.
    public func status(monitor: HealthMonitor) async -> ServiceStatus {
        let health = ServiceHealth(
            primary: await monitor.site(service: name, site: .primary), standby: await monitor.site(service: name, site: .standby),
            primaryChecks: await monitor.checks(of: .site(service: name, site: .primary)),
            standbyChecks: await monitor.checks(of: .site(service: name, site: .standby)))
        return ServiceStatusBuilder(
            settings: settings, machine: machine, history: history, preflight: preflight, health: health,
            serial: await zone.serial(of: settings.zone), now: Date(), propagation: await watch?.status
        ).status
    }

    /// `drill --dry-run`: the preflight and every check run now, whether a drill would start,
    /// and what each of its steps would do. Nothing is applied, nothing journaled.
    public func drillPlan() async -> DrillPlan {
        let preflight = await runPreflight()
        let checks = await sweep()
        let preview = machine.drillPreview(now: Date())
        let notify = watch?.watched.filter { $0.kind == .secondary }.map(\.address) ?? []
        let steps = preview.steps.map { (direction, step) in
            DrillPlan.Step(direction: direction, step: step.description,
                           does: StepDescription.of(step, settings: settings, preflight: preflight, notify: notify))
        }
        return DrillPlan(
            service: name, checkedAt: Date(), wouldStart: preview.refusal == nil, refusal: preview.refusal, preflight: preflight,
            checks: checks, steps: steps, watched: watch?.watched ?? [])
    }

    /// The last drill's report, from the journal.
    public func drillReport() -> DrillReport? {
        DrillReport.last(in: history)
    }

    /// The phase the machine is in.
    var phase: FailoverPhase { machine.phase }

    /// Whether the service has a sequence at all (running, waiting or halted in ERROR).
    var hasSequence: Bool { machine.sequence != nil }


    /// The journal's records, oldest first (the last 2000).
    public func records() -> [JournalRecord] { history }
}
