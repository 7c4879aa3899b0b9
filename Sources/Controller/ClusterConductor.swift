public import Coordination
import Foundation
public import LifeboatConfig
public import LifeboatCore
public import Logging
public import NativeClients
import Synchronization
import SystemIO

/// This site's part in a Lifeboat cluster (`[cluster]`): every round (a second, at most a fifth
/// of the lease) it renews its lease, publishes its verdict on each service's primary, reads
/// the others', and — an executor — competes for the leader key. The leader's service
/// controllers act and write the cluster's journal (fenced); the others mirror that journal.
/// When etcd does not answer for `lostAfter`, coordination is lost: the site stands down,
/// serves the last zone state it read and changes nothing until etcd answers again, when it
/// reads everything linearizably before acting.
public final class ClusterConductor: ClusterGate {
    /// `[cluster]`.
    public let settings: ClusterSettings
    /// The lease and leader key; the zone publisher writes through it.
    public let session: LeaderSession
    /// The client every part of the cluster mode shares.
    public let client: EtcdClient
    private let logger: Logger
    private let round: Duration
    private let lostAfter: Duration
    private let state: Mutex<RoundState>
    private let onNotice: @Sendable (FailoverNotice) -> Void

    struct RoundState {
        var leader: String?
        var leading = false
        /// The controller whose services were told to lead (a reload builds a new one).
        var ledController: ObjectIdentifier?
        var lastGood: ContinuousClock.Instant
        var lost = false
        var lastError: String?
        var decisions: [String: QuorumDecision] = [:]
        /// Per service: the cluster's journal as last read, and the revision it was read at.
        var journals: [String: [Int: JournalRecord]] = [:]
        var journalRevisions: [String: Int64] = [:]
        var followedController: ObjectIdentifier?
        /// The verdict last published per service.
        var verdicts: [String: SiteVerdict] = [:]
    }

    /// `onNotice` hears coordination lost and regained (webhooks); it must not block. Throws
    /// when the etcd user's password file cannot be read.
    public init(settings: ClusterSettings, curl: CurlMulti, logger: Logger, onNotice: @escaping @Sendable (FailoverNotice) -> Void = { _ in }) throws {
        self.settings = settings
        self.logger = logger
        self.onNotice = onNotice
        var credentials: EtcdCredentials?
        if let user = settings.user, let passwordFile = settings.passwordFile {
            credentials = EtcdCredentials(user: user, password: try SecretFile.read(passwordFile))
        }
        let certificate = settings.certFile.flatMap { cert in settings.keyFile.map { (certFile: cert, keyFile: $0) } }
        client = EtcdClient(
            endpoints: settings.etcd, curl: curl, timeout: .seconds(1), sourceAddress: settings.sourceAddress?.description,
            tls: EtcdTLS(caFile: settings.caFile, clientCertificate: certificate), credentials: credentials)
        session = LeaderSession(
            client: client, key: "/lifeboat/\(settings.name)/leader", identity: settings.site, ttl: settings.leaseTTL,
            margin: min(.seconds(2), settings.leaseTTL / 5))
        round = min(.seconds(1), settings.leaseTTL / 5)
        lostAfter = min(.seconds(5), settings.leaseTTL / 2)
        state = Mutex(RoundState(lastGood: .now))
    }

    /// What the status shows.
    public var status: ClusterStatus {
        state.withLock { state in
            ClusterStatus(
                name: settings.name, site: settings.site, role: settings.role.rawValue, leader: state.leader, leading: state.leading,
                coordinationLost: state.lost, lastError: state.lastError, sites: state.decisions.mapValues(\.summary))
        }
    }

    public nonisolated var leaderDescription: String {
        let leader = state.withLock { $0.leader }
        return "this site (\(settings.site)) does not lead the cluster \(settings.name) (leader: \(leader ?? "none"))"
    }

    /// Runs rounds until the task is cancelled, then gives leadership up (a successor need not
    /// wait for the lease to expire).
    public func run(host: ControllerHost) async {
        var next = ContinuousClock.now
        while !Task.isCancelled {
            if ContinuousClock.now >= next {
                next = .now + round
                await runRound(host.controller)
            } else {
                // Between rounds a changed verdict goes out at once: the leader's confirmation
                // round counts the other sites, which see an outage at about the same moment.
                await publishChangedVerdicts(host.controller)
            }
            try? await Task.sleep(for: Self.verdictPoll)
        }
        await session.resign()
    }

    /// How often a changed verdict is looked for between rounds.
    static let verdictPoll = Duration.milliseconds(50)

    private func publishChangedVerdicts(_ controller: Controller) async {
        guard !state.withLock({ $0.lost }) else { return }
        for service in controller.services {
            let observation = await observation(service.name, monitor: controller.monitor)
            guard state.withLock({ $0.verdicts[service.name] }) != observation.verdict else { continue }
            do throws(CoordinationError) {
                try await publish(observation, service: service.name, lease: try await session.sessionLease())
            } catch {
                logger.warning("cluster.verdict.failed", metadata: ["service": "\(service.name)", "error": "\(error)"])
            }
        }
    }

    private func runRound(_ controller: Controller) async {
        do throws(CoordinationError) {
            let lease = try await session.sessionLease()
            _ = await session.renew()
            for service in controller.services {
                try await publish(await observation(service.name, monitor: controller.monitor), service: service.name, lease: lease)
            }
            let leader: String?
            if settings.role == .executor {
                leader = try await session.campaign()
            } else {
                leader = try await client.get(session.key)?.value
            }
            let leading = await session.leadership != nil
            regained()
            state.withLock { $0.leader = leader }
            if leading {
                try await lead(controller)
                try await carryOutCommands(controller)
            } else {
                await stepDown(controller, "\(leader ?? "no site") leads")
                try await follow(controller)
            }
        } catch {
            await failed(error, controller: controller)
        }
    }

    // MARK: - Verdicts and quorum

    /// This site's verdict on `service`'s primary, from its own checks.
    private func observation(_ service: String, monitor: HealthMonitor) async -> SiteObservation {
        let primary = await monitor.site(service: service, site: .primary)
        let isolated = await monitor.isolated
        let detail = isolated ? "every witness is down: this site may be the one cut off" : primary.detail
        return SiteObservation(site: settings.site, verdict: SiteVerdict(primary: primary.state, isolated: isolated), at: Date(), detail: detail)
    }

    /// Publishes this site's verdict on `lease`, then counts every site's.
    @discardableResult
    private func publish(_ observation: SiteObservation, service: String, lease: Int64) async throws(CoordinationError) -> QuorumDecision {
        try await ObservationBoard(client: client, cluster: settings.name, service: service).publish(observation, lease: lease)
        state.withLock { $0.verdicts[service] = observation.verdict }
        return try await recount(service)
    }

    /// The sites' verdicts on `service` counted now; the status keeps the decision.
    private func recount(_ service: String) async throws(CoordinationError) -> QuorumDecision {
        let decision = QuorumDecision(
            observations: try await ObservationBoard(client: client, cluster: settings.name, service: service).all(),
            sites: [settings.site], quorum: settings.quorum, freshness: settings.leaseTTL.timeInterval, now: Date())
        state.withLock { $0.decisions[service] = decision }
        return decision
    }

    public func failoverHold(service: String, primaryDetail: String) async -> String? {
        guard state.withLock({ $0.leading && !$0.lost }) else { return leaderDescription }
        do throws(CoordinationError) {
            // This site's own round just confirmed the primary down: say so before counting.
            let mine = SiteObservation(site: settings.site, verdict: .down, at: Date(), detail: primaryDetail)
            var decision = try await publish(mine, service: service, lease: try await session.sessionLease())
            // The other sites' checks run on grids of their own: one may see the outage up to a
            // check interval later. Count again for up to a round before holding.
            let deadline = ContinuousClock.now + round
            while true {
                if decision.allowsFailover { return nil }
                if ContinuousClock.now >= deadline { return decision.summary }
                try? await Task.sleep(for: .milliseconds(100))
                decision = try await recount(service)
            }
        } catch {
            return "the sites' verdicts cannot be read from etcd: \(error)"
        }
    }

    // MARK: - Leading and following

    public func stepRefusal() async -> String? {
        guard state.withLock({ $0.leading && !$0.lost }) else { return leaderDescription }
        // The step must be able to end (or be stopped, within a round) before the lease can expire.
        return await session.mayStart(stepLimit: round) ? nil : "the lease is not fresh enough to start a step"
    }

    public func share(_ records: [JournalRecord], service: String, at index: Int) async -> Bool {
        let board = ClusterJournalBoard(client: client, cluster: settings.name, service: service)
        do throws(CoordinationError) {
            let written = try await board.append(records, at: index, as: session)
            if !written { logger.critical("cluster.journal.refused", metadata: ["service": "\(service)", "journal.index": "\(index)"]) }
            return written
        } catch {
            logger.error("cluster.journal.failed", metadata: ["service": "\(service)", "error": "\(error)"])
            return false
        }
    }

    /// As leader: a controller not yet leading reads the cluster's journal (linearizably) and
    /// leads from it; one leading stands down before its lease could expire.
    private func lead(_ controller: Controller) async throws(CoordinationError) {
        let id = ObjectIdentifier(controller)
        if state.withLock({ $0.ledController == id && $0.leading }) {
            if !(await session.mayStart(stepLimit: round)) {
                await stepDown(controller, "the lease could not be renewed in time")
                return
            }
            // A service that stood down by itself (a step refused) leads again from the journal.
            var standing = true
            for service in controller.services where await service.passive { standing = false }
            if standing { return }
        }
        var journals: [(ServiceController, [JournalRecord])] = []
        for service in controller.services {
            let board = ClusterJournalBoard(client: client, cluster: settings.name, service: service.name)
            journals.append((service, try await board.read().records.map(\.record)))
        }
        state.withLock { state in
            state.leading = true
            state.ledController = id
            state.followedController = nil
            state.journals = [:]
            state.journalRevisions = [:]
        }
        let token = await session.leadership?.token ?? 0
        logger.notice("cluster.leader", metadata: ["cluster.site": "\(settings.site)", "cluster.token": "\(token)"])
        let isolated = await controller.monitor.isolated
        for (service, records) in journals {
            let primary = await controller.monitor.site(service: service.name, site: .primary)
            let standby = await controller.monitor.site(service: service.name, site: .standby)
            await service.lead(records: records, health: [
                .isolated(isolated), .site(.primary, primary.state, detail: primary.detail),
                .site(.standby, standby.state, detail: standby.detail)])
        }
    }

    /// As leader: carries out the commands other sites sent, and answers them.
    private func carryOutCommands(_ controller: Controller) async throws(CoordinationError) {
        for service in controller.services where !(await service.passive) {
            let board = CommandBoard(client: client, cluster: settings.name, service: service.name)
            for pending in try await board.take() {
                let (reply, phase) = await service.command(pending.command)
                try await board.answer(pending.id, reply: reply, phase: phase, as: session)
            }
        }
    }

    /// Sends an operator's command to the leader through etcd (this site does not lead) and
    /// waits up to 10 s for its answer.
    public func forward(_ command: OperatorCommand, service: String, phase: FailoverPhase) async -> (reply: CommandReply, phase: FailoverPhase) {
        let board = CommandBoard(client: client, cluster: settings.name, service: service)
        let leader = state.withLock { $0.leader } ?? "none"
        do throws(CoordinationError) {
            let lease = try await session.sessionLease()
            if let (reply, phase) = try await board.send(command, lease: lease, limit: .seconds(10)) {
                var forwarded = reply
                forwarded.message = "(carried out by the leader, \(leader)) " + reply.message
                return (forwarded, phase)
            }
            return (CommandReply(accepted: false, message: "the leader (\(leader)) did not answer within 10 s: see `lifeboat history` before sending it again"), phase)
        } catch {
            return (CommandReply(accepted: false, message: "the command could not be sent to the leader (\(leader)) through etcd: \(error)"), phase)
        }
    }

    private func stepDown(_ controller: Controller, _ reason: String) async {
        let wasLeading = state.withLock { state in
            defer { state.leading = false; state.ledController = nil }
            return state.leading
        }
        guard wasLeading else { return }
        logger.warning("cluster.follower", metadata: ["cluster.site": "\(settings.site)", "cluster.reason": "\(reason)"])
        for service in controller.services { await service.standDown(reason) }
    }

    /// As follower: mirrors what the leader added to each service's journal.
    private func follow(_ controller: Controller) async throws(CoordinationError) {
        let id = ObjectIdentifier(controller)
        let fresh = state.withLock { state in
            defer { state.followedController = id }
            return state.followedController != id
        }
        for service in controller.services {
            let board = ClusterJournalBoard(client: client, cluster: settings.name, service: service.name)
            let since = fresh ? nil : state.withLock { $0.journalRevisions[service.name] }
            let (records, revision) = try await board.read(after: since)
            guard fresh || !records.isEmpty else { continue }
            let all = state.withLock { state in
                if fresh { state.journals[service.name] = [:] }
                for (index, record) in records { state.journals[service.name, default: [:]][index] = record }
                state.journalRevisions[service.name] = revision
                return state.journals[service.name, default: [:]].sorted { $0.key < $1.key }.map(\.value)
            }
            logger.info("cluster.journal.mirrored", metadata: [
                "service": "\(service.name)", "journal.new": "\(records.count)", "journal.records": "\(all.count)",
                "journal.revision": "\(revision)"])
            await service.follow(records: all)
        }
    }

    // MARK: - Losing etcd

    private func failed(_ error: CoordinationError, controller: Controller) async {
        let lostNow = state.withLock { state in
            state.lastError = error.description
            let lost = ContinuousClock.now - state.lastGood >= lostAfter
            defer { state.lost = lost }
            return lost && !state.lost
        }
        logger.warning("cluster.round.failed", metadata: ["error": "\(error)"])
        if lostNow {
            let message = "coordination lost: etcd has not answered for \(lostAfter) (\(error)); serving the last zone state read, running no step"
            logger.critical("cluster.coordination.lost", metadata: ["error": "\(error)"])
            onNotice(FailoverNotice(kind: .coordination, phase: .primaryActive, message: message))
        }
        let leaseFresh = await session.mayStart(stepLimit: round)
        if state.withLock({ $0.lost }) || !leaseFresh {
            await stepDown(controller, "coordination lost: \(error)")
            // A follower re-reads the whole journal once etcd answers again.
            state.withLock { $0.followedController = nil }
        }
    }

    private func regained() {
        let wasLost = state.withLock { state in
            defer { state.lost = false; state.lastGood = .now; state.lastError = nil }
            return state.lost
        }
        if wasLost {
            logger.notice("cluster.coordination.regained")
            onNotice(FailoverNotice(kind: .coordination, phase: .primaryActive, message: "coordination regained: etcd answers again"))
        }
    }
}
