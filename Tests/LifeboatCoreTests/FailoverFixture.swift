import Foundation
import LifeboatCore

/// A state machine with the lab's plan, brought into any phase by real events.
struct FailoverFixture {
    static let plan = StepPlan(readOnlySteps: ["apache", "sql:main_", "sql:shared_"], replication: true, resync: true)
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func policy(automaticFailback: Bool = false, stepRetries: Int = 2) -> FailoverPolicy {
        FailoverPolicy(
            automaticFailback: automaticFailback, holddown: .seconds(10), minFailoverInterval: .seconds(600),
            drain: .seconds(7), stepRetries: stepRetries, ttlWait: .seconds(35))
    }

    var machine: FailoverStateMachine
    var now: Date
    var actions: [FailoverAction] = []

    init(automaticFailback: Bool = false, stepRetries: Int = 2) {
        self.init(plan: Self.plan, policy: Self.policy(automaticFailback: automaticFailback, stepRetries: stepRetries))
    }

    /// A machine with this plan and policy (e.g. a dump-refreshed standby's).
    init(plan: StepPlan, policy: FailoverPolicy) {
        machine = FailoverStateMachine(plan: plan, policy: policy, now: Self.start)
        now = Self.start
    }

    /// Answer every confirmation round at once with this (nil: leave rounds unanswered).
    var confirmation: (primaryFailing: Bool, witnessUp: Bool)? = (true, true)

    @discardableResult
    mutating func send(_ event: FailoverEvent, after seconds: Double = 0) -> [FailoverAction] {
        now += seconds
        actions = machine.handle(event, now: now)
        while let answer = confirmation, let round = actions.confirmRounds.last {
            actions.removeAll { $0 == .confirm(round: round) }
            actions += machine.handle(.confirmation(round: round, primaryFailing: answer.primaryFailing, witnessUp: answer.witnessUp, detail: "fixture"), now: now)
        }
        return actions
    }

    /// Sends `stepSucceeded` for the running step until the sequence ends (ticking through the drain).
    mutating func finishSequence() {
        var guardCount = 0
        while let progress = machine.sequence, guardCount < 100 {
            guardCount += 1
            switch progress.status {
            case .running:
                send(.stepSucceeded(index: progress.index, detail: "ok", serial: progress.step.isDNS ? UInt32(100 + guardCount) : nil))
            case .draining(let until), .waitingRetry(let until):
                send(.tick, after: until.timeIntervalSince(now))
            case .halted:
                return
            }
        }
    }

    /// Healthy sites, nothing isolated: `PRIMARY_ACTIVE`.
    static func primaryActive(_ base: FailoverFixture = FailoverFixture()) -> FailoverFixture {
        var fixture = base
        fixture.send(.site(.primary, .up, detail: "all checks up"))
        fixture.send(.site(.standby, .up, detail: "all checks up"))
        return fixture
    }

    /// The primary went down: `FAILING_OVER`, first step running.
    static func failingOver(_ base: FailoverFixture = FailoverFixture()) -> FailoverFixture {
        var fixture = primaryActive(base)
        fixture.send(.site(.primary, .down, detail: "primary-web refused"), after: 1)
        return fixture
    }

    /// The failover finished, primary still down: `STANDBY_ACTIVE`.
    static func standbyActive(_ base: FailoverFixture = FailoverFixture()) -> FailoverFixture {
        var fixture = failingOver(base)
        fixture.finishSequence()
        return fixture
    }

    /// The primary has been up for the holddown (manual failback): `FAILBACK_READY`.
    static func failbackReady(_ base: FailoverFixture = FailoverFixture()) -> FailoverFixture {
        var fixture = standbyActive(base)
        fixture.send(.site(.primary, .up, detail: "all checks up"), after: 1)
        fixture.send(.tick, after: 10)
        return fixture
    }

    /// An operator started the failback: `FAILING_BACK`, DNS step running.
    static func failingBack(_ base: FailoverFixture = FailoverFixture()) -> FailoverFixture {
        var fixture = failbackReady(base)
        fixture.send(.command(OperatorCommand(.failback)), after: 1)
        return fixture
    }

    /// The first failover step failed every try: `ERROR`.
    static func error(_ base: FailoverFixture = FailoverFixture()) -> FailoverFixture {
        var fixture = failingOver(base)
        fixture.send(.stepFailed(index: 0, message: "STOP SLAVE refused"))
        fixture.send(.tick, after: 5)
        fixture.send(.stepFailed(index: 0, message: "STOP SLAVE refused"))
        return fixture
    }

    /// Back in PRIMARY_ACTIVE after an automatic failover and a forced failback; returns when
    /// that failover began (anti-flap counts from it).
    static func failedBack() -> (fixture: FailoverFixture, failoverStart: Date) {
        var fixture = FailoverFixture.standbyActive()
        let start = fixture.machine.lastAutomaticFailover!
        fixture.send(.command(OperatorCommand(.failback, force: true)), after: 1)
        fixture.send(.site(.primary, .up, detail: ""))
        fixture.finishSequence()
        return (fixture, start)
    }

    static func at(_ phase: FailoverPhase, _ base: FailoverFixture = FailoverFixture()) -> FailoverFixture {
        switch phase {
        case .primaryActive: primaryActive(base)
        case .failingOver: failingOver(base)
        case .standbyActive: standbyActive(base)
        case .failbackReady: failbackReady(base)
        case .failingBack: failingBack(base)
        case .error: error(base)
        }
    }
}

extension FailoverStep {
    var isDNS: Bool {
        switch self {
        case .switchDNS, .lowerTTL, .restoreTTL: true
        default: false
        }
    }
}

extension [FailoverAction] {
    var replies: [CommandReply] { compactMap { if case .reply(let reply) = $0 { reply } else { nil } } }
    var confirmRounds: [Int] { compactMap { if case .confirm(let round) = $0 { round } else { nil } } }
    var notices: [FailoverNotice] { compactMap { if case .notify(let notice) = $0 { notice } else { nil } } }
    var steps: [FailoverStep] { compactMap { if case .runStep(_, let step, _, _) = $0 { step } else { nil } } }
    var records: [JournalRecord.Entry] { compactMap { if case .journal(let record) = $0 { record.entry } else { nil } } }
}
