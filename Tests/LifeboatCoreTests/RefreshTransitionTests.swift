import Foundation
import LifeboatCore
import Testing

/// A dump-refreshed standby's refresh as a sequence of the state machine: it runs only in
/// PRIMARY_ACTIVE with the primary up, is postponed (journaled, told) while the standby serves
/// or another sequence runs, holds a failover back until it ends, and never ends in ERROR.
@Suite("Failover state machine: a dump-refreshed standby's refresh")
struct RefreshTransitionTests {
    static let plan = StepPlan(readOnlySteps: ["apache", "sql:main"], replication: false, resync: false, refresh: true)
    static let utc = TimeZone(identifier: "UTC")!
    /// Daily at 03:00 UTC; the fixture starts at 08:00 UTC, so the first is due 19 h later.
    static let refreshPolicy = RefreshPolicy(
        schedule: .daily([.init(hour: 3, minute: 0)]), timeZone: utc, timeout: .seconds(600), maxLag: .seconds(26 * 3600))
    static let policy = FailoverPolicy(
        automaticFailback: false, holddown: .seconds(10), minFailoverInterval: .seconds(600), drain: .seconds(7), stepRetries: 2,
        refresh: refreshPolicy)
    static let swap = RefreshSwap(tables: 20, rows: 42, bytes: 868_352, dataAgeSeconds: 3)

    static var base: FailoverFixture { FailoverFixture(plan: plan, policy: policy) }

    /// Ticks until the next scheduled refresh is due.
    static func reachDue(_ fixture: inout FailoverFixture) {
        let due = fixture.machine.refresh.nextDue!
        fixture.send(.tick, after: due.timeIntervalSince(fixture.now))
    }

    /// A refresh running (scheduled), in PRIMARY_ACTIVE.
    static func refreshing() -> FailoverFixture {
        var fixture = FailoverFixture.primaryActive(base)
        reachDue(&fixture)
        return fixture
    }

    /// Where the service is: a phase, or PRIMARY_ACTIVE with a refresh running.
    enum Place: String, CaseIterable, Sendable { case primaryActive, refreshing, failingOver, standbyActive, failbackReady, failingBack, error }

    /// Every input of the main table, and the refresh's own.
    enum RefreshInput: Sendable, CustomTestStringConvertible {
        case base(FailoverTransitionTests.Input)
        case refresh, refreshNow, due
        var testDescription: String { if case .base(let input) = self { "\(input)" } else { "\(self)" } }
        static let all: [RefreshInput] = FailoverTransitionTests.Input.allCases.map(RefreshInput.base) + [.refresh, .refreshNow, .due]
    }

    static func at(_ place: Place) -> FailoverFixture {
        switch place {
        case .primaryActive: FailoverFixture.primaryActive(base)
        case .refreshing: refreshing()
        case .failingOver: FailoverFixture.failingOver(base)
        case .standbyActive: FailoverFixture.standbyActive(base)
        case .failbackReady: FailoverFixture.failbackReady(base)
        case .failingBack: FailoverFixture.failingBack(base)
        case .error: FailoverFixture.error(base)
        }
    }

    static func place(of machine: FailoverStateMachine) -> Place {
        if machine.phase == .primaryActive, machine.sequence?.direction == .refresh { return .refreshing }
        return Place(rawValue: "\(machine.phase)".lowercased().split(separator: "_").enumerated()
            .map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined())!
    }

    /// Where each input leads; the main table's changes hold for the other places, and the
    /// refresh's inputs leave them where they are (postponed, queued or refused).
    static func expected(_ place: Place, _ input: RefreshInput) -> Place {
        switch (place, input) {
        case (.primaryActive, .refresh), (.primaryActive, .refreshNow), (.primaryActive, .due): return .refreshing
        case (.refreshing, .base(.stepSucceeded)), (.refreshing, .base(.stepFailed)): return .primaryActive
        case (.refreshing, _): return .refreshing  // a failover waits; commands are refused; abort waits for the step
        case (_, .base(let input)):
            let phase = FailoverPhase(rawValue: place.rawValue.map { $0.isUppercase ? "_\($0)" : $0.uppercased() }.joined())!
            return Place(rawValue: "\(FailoverTransitionTests.changes[phase]?[input] ?? phase)".lowercased().split(separator: "_").enumerated()
                .map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined())!
        default: return place
        }
    }

    @Test("transition table with a dump-refreshed standby: place × input (a refresh only ever runs with DNS at the primary and no read-only applied)",
          arguments: Place.allCases.flatMap { place in RefreshInput.all.map { (place, $0) } })
    func table(place: Place, input: RefreshInput) {
        var fixture = Self.at(place)
        #expect(Self.place(of: fixture.machine) == place, "fixture for \(place)")
        let actions: [FailoverAction]
        switch input {
        case .base(let base):
            actions = fixture.send(base.event(for: fixture.machine), after: base == .tickLater ? 3600 : 0.5)
        case .refresh:
            actions = fixture.send(.command(OperatorCommand(.refresh)), after: 0.5)
        case .refreshNow:
            actions = fixture.send(.command(OperatorCommand(.refresh, now: true)), after: 0.5)
        case .due:
            Self.reachDue(&fixture)
            actions = fixture.actions
        }
        #expect(Self.place(of: fixture.machine) == Self.expected(place, input), "\(place) + \(input.testDescription)")
        if actions.steps.contains(.refresh) || fixture.machine.sequence?.direction == .refresh {
            #expect(fixture.machine.dnsSite == .primary && fixture.machine.readOnlyApplied.isEmpty, "a refresh with DNS at the \(fixture.machine.dnsSite)")
        }
        if case .refreshNow = input, place != .primaryActive { #expect(actions.replies.first?.accepted == false) }
        if case .refresh = input, place == .refreshing { #expect(actions.replies.first?.message == "refresh refused: a refresh is already under way") }
    }

    @Test("the plan: failback's resync is the refresh; failover has no replication step")
    func plan() {
        #expect(Self.plan.failover == [.applyReadOnly("apache"), .applyReadOnly("sql:main"), .switchDNS(.standby)])
        #expect(Self.plan.failback == [.switchDNS(.primary), .drain, .revertReadOnly("sql:main"), .revertReadOnly("apache"), .refresh])
        #expect(Self.plan.refresh == [.refresh])
        #expect(FailoverFixture.plan.refresh.isEmpty)
    }

    @Test("due: a refresh sequence starts, PRIMARY_ACTIVE stays; done: the swap journaled first, the data as of its start")
    func scheduled() {
        var fixture = FailoverFixture.primaryActive(Self.base)
        #expect(fixture.machine.refresh.nextDue == Date(timeIntervalSince1970: 1_800_000_000 + 19 * 3600))
        Self.reachDue(&fixture)
        let started = fixture.now
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.sequence?.direction == .refresh)
        #expect(fixture.actions.steps == [.refresh])
        #expect(fixture.actions.records.contains { if case .sequenceStarted(_, .refresh, [.refresh], .automatic, false, _) = $0 { true } else { false } })
        #expect(fixture.machine.refresh.nextDue == started.addingTimeInterval(86400), "the next is tomorrow's 03:00")

        fixture.send(.stepSucceeded(index: 0, detail: "swapped 20 tables", serial: nil, swap: Self.swap), after: 40)
        let records = fixture.actions.records
        let swapped = records.firstIndex { if case .refreshSwapped(_, Self.swap) = $0 { true } else { false } }
        let finished = records.firstIndex { if case .stepFinished(_, 0, true, _, _) = $0 { true } else { false } }
        #expect(swapped != nil && finished != nil && swapped! < finished!, "the swap is journaled before the step's end: \(records)")
        #expect(records.contains { if case .sequenceFinished = $0 { true } else { false } })
        #expect(!records.contains { if case .phaseChanged = $0 { true } else { false } }, "no phase change")
        #expect(fixture.machine.sequence == nil && fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.refresh.dataAsOf == started)
        #expect(fixture.machine.refresh.last == RefreshOutcome(started: started, finished: fixture.now, success: true, message: "swapped 20 tables", swap: Self.swap))
        #expect(fixture.actions.notices.map(\.kind) == [.refresh])
    }

    @Test("a failed refresh is not retried and never ERROR: the old data stays, the failure is an alert")
    func failed() {
        var fixture = Self.refreshing()
        fixture.send(.stepSucceeded(index: 0, detail: "first", serial: nil, swap: Self.swap), after: 30)
        let asOf = fixture.machine.refresh.dataAsOf
        Self.reachDue(&fixture)
        fixture.send(.stepFailed(index: 0, message: "refresh command exited with 3; the live database drupal was not touched"), after: 5)
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.sequence == nil)
        #expect(fixture.actions.steps.isEmpty, "no retry")
        #expect(fixture.machine.refresh.dataAsOf == asOf, "the data is as of the last good refresh")
        #expect(fixture.machine.refresh.last?.success == false)
        #expect(fixture.actions.notices.map(\.kind) == [.refreshProblem])
        #expect(fixture.actions.notices.first?.message.contains("keeps its data as of") == true)
        #expect(fixture.actions.records.contains { if case .stepFinished(_, 0, false, _, _) = $0 { true } else { false } })
    }

    @Test("due while the standby serves: postponed (journaled, told once); failback's own refresh does it, and none runs after")
    func postponedWhileServing() {
        var fixture = FailoverFixture.standbyActive(Self.base)
        Self.reachDue(&fixture)
        #expect(fixture.machine.sequence == nil)
        #expect(fixture.machine.refresh.postponed == "standby serving")
        #expect(fixture.actions.records.contains(.refreshPostponed(reason: "standby serving")))
        #expect(fixture.actions.notices.contains { $0.kind == .refresh && $0.message == "refresh postponed: standby serving" })
        fixture.send(.tick, after: 60)
        #expect(fixture.actions.notices.isEmpty, "told once")

        fixture.send(.command(OperatorCommand(.failback, force: true)), after: 1)
        fixture.send(.site(.primary, .up, detail: "up"))
        var refreshStart: Date?
        while let progress = fixture.machine.sequence {
            if progress.step == .refresh, progress.status == .running {
                refreshStart = fixture.now
                #expect(fixture.machine.dnsSite == .primary, "the refresh runs only once DNS is back at the primary")
                #expect(fixture.machine.readOnlyApplied.isEmpty, "and read-only is lifted")
            }
            switch progress.status {
            case .running: fixture.send(.stepSucceeded(index: progress.index, detail: "ok", serial: progress.step.isDNS ? 9 : nil, swap: progress.step == .refresh ? Self.swap : nil), after: 1)
            case .draining(let until): fixture.send(.tick, after: until.timeIntervalSince(fixture.now))
            default: Issue.record("unexpected \(progress.status)"); return
            }
        }
        #expect(refreshStart != nil, "failback ran the refresh")
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.refresh.pending == nil && fixture.machine.refresh.postponed == nil)
        #expect(fixture.machine.refresh.dataAsOf == refreshStart)
        fixture.send(.tick, after: 1)
        #expect(fixture.machine.sequence == nil, "no second refresh after failback")
    }

    @Test("postponed while another sequence runs, while paused, while the primary is down; runs once it may")
    func postponedOtherwise() {
        var fixture = FailoverFixture.failingOver(Self.base)
        Self.reachDue(&fixture)
        #expect(fixture.machine.refresh.postponed == "a failover sequence is under way")

        var paused = FailoverFixture.primaryActive(Self.base)
        paused.send(.command(OperatorCommand(.pause)))
        Self.reachDue(&paused)
        #expect(paused.machine.refresh.postponed == "paused")
        paused.send(.command(OperatorCommand(.resume)), after: 5)
        #expect(paused.machine.sequence?.direction == .refresh, "runs once resumed")

        var down = FailoverFixture.primaryActive(Self.base)
        down.confirmation = nil
        down.send(.site(.primary, .down, detail: "primary-web refused"))
        Self.reachDue(&down)
        #expect(down.machine.refresh.postponed?.hasPrefix("primary down") == true)
        #expect(down.machine.sequence == nil)
        down.send(.site(.primary, .up, detail: "up"), after: 3)
        #expect(down.machine.sequence?.direction == .refresh)
    }

    @Test("read-only left applied by an aborted failover (--keep): no refresh until it is reverted (found by the property test)")
    func keptReadOnly() {
        var fixture = FailoverFixture.primaryActive(Self.base)
        fixture.send(.command(OperatorCommand(.promote)))
        fixture.send(.stepSucceeded(index: 0, detail: "ok", serial: nil))
        fixture.send(.command(OperatorCommand(.abort, keep: true)))
        fixture.send(.stepSucceeded(index: 1, detail: "ok", serial: nil))
        #expect(fixture.machine.phase == .primaryActive && !fixture.machine.readOnlyApplied.isEmpty)
        Self.reachDue(&fixture)
        #expect(fixture.machine.sequence == nil)
        #expect(fixture.machine.refresh.postponed?.hasPrefix("the standby is still read-only") == true, "\(fixture.machine.refresh.postponed ?? "nil")")
    }

    @Test("the primary fails during a refresh: the failover waits for it, then starts from a fresh confirmation")
    func failoverWaits() {
        var fixture = Self.refreshing()
        fixture.send(.site(.primary, .down, detail: "primary-web refused"), after: 2)
        #expect(fixture.machine.phase == .primaryActive && fixture.machine.sequence?.direction == .refresh)
        #expect(fixture.actions.confirmRounds.isEmpty && fixture.actions.steps.isEmpty)
        #expect(fixture.machine.waiting?.contains("failover waits for the refresh under way to end (at the latest when its timeout, 10m, ends it)") == true,
                "\(fixture.machine.waiting ?? "nil")")
        #expect(fixture.machine.timers(now: fixture.now).contains { $0.name == .refreshTimeout })
        let promote = fixture.send(.command(OperatorCommand(.promote)))
        #expect(promote.replies.first?.accepted == false)
        #expect(promote.replies.first?.message.contains("a refresh of the standby is under way") == true)

        fixture.confirmation = (true, true)
        fixture.send(.stepFailed(index: 0, message: "refresh command (mariadb-dump) exited with 2: connection refused"), after: 3)
        #expect(fixture.machine.phase == .failingOver, "the failover starts once the refresh ended")
        #expect(fixture.machine.sequence?.direction == .failover)
    }

    @Test("lifeboat refresh: now when it may; queued (journaled) when the standby serves; --now refused then")
    func command() {
        var idle = FailoverFixture.primaryActive(Self.base)
        idle.send(.command(OperatorCommand(.refresh, by: "alice", now: true)))
        #expect(idle.actions.replies.first?.accepted == true)
        #expect(idle.machine.sequence?.direction == .refresh && idle.machine.sequence?.trigger == .operator)

        var serving = FailoverFixture.standbyActive(Self.base)
        serving.send(.command(OperatorCommand(.refresh, by: "alice", now: true)))
        #expect(serving.actions.replies.first?.accepted == false)
        #expect(serving.actions.replies.first?.message == "refresh refused: standby serving; without --now it waits until it may run")
        serving.send(.command(OperatorCommand(.refresh, reason: "new content", by: "alice")))
        #expect(serving.actions.replies.first?.accepted == true)
        #expect(serving.actions.records.contains(.refreshRequested(by: "alice", reason: "new content")))
        #expect(serving.machine.refresh.pending == "asked for by alice: new content")

        var replica = FailoverFixture.primaryActive()
        replica.send(.command(OperatorCommand(.refresh)))
        #expect(replica.actions.replies.first?.accepted == false)
        #expect(replica.actions.replies.first?.message.contains("no [service.refresh]") == true)
    }

    @Test("abort ends a running refresh: its command is cancelled, the service stays PRIMARY_ACTIVE")
    func abort() {
        var fixture = Self.refreshing()
        fixture.send(.command(OperatorCommand(.abort, by: "bob")), after: 1)
        #expect(fixture.actions.contains(.cancelStep(index: 0)))
        fixture.send(.stepFailed(index: 0, message: "refresh was ended by abort"), after: 1)
        #expect(fixture.machine.sequence == nil && fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.refresh.last?.success == false)
        #expect(fixture.actions.records.contains { if case .sequenceAborted(_, "bob", _) = $0 { true } else { false } })
    }

    @Test("data older than max_lag: told once, and an unforced failover to it is held")
    func stale() {
        var fixture = Self.refreshing()
        fixture.send(.stepSucceeded(index: 0, detail: "ok", serial: nil, swap: Self.swap), after: 10)
        // The next refresh fails: the data ages past max_lag (26 h) two hours later.
        Self.reachDue(&fixture)
        fixture.send(.stepFailed(index: 0, message: "dump failed"), after: 5)
        #expect(!fixture.actions.notices.contains { $0.message.contains("older than max_lag") }, "not yet stale")
        let stale = fixture.machine.refresh.dataAsOf!.addingTimeInterval(26 * 3600)
        fixture.send(.tick, after: stale.timeIntervalSince(fixture.now))
        #expect(fixture.actions.notices.contains { $0.kind == .refreshProblem && $0.message.contains("older than max_lag") }, "\(fixture.actions.notices)")
        fixture.send(.tick, after: 60)
        #expect(!fixture.actions.notices.contains { $0.kind == .refreshProblem }, "told once")
        fixture.send(.site(.primary, .down, detail: "primary-web refused"), after: 1)
        #expect(fixture.machine.phase == .primaryActive)
        #expect(fixture.machine.waiting?.contains("standby data too old") == true, "\(fixture.machine.waiting ?? "nil")")
        let promote = fixture.send(.command(OperatorCommand(.promote)))
        #expect(promote.replies.first?.accepted == false)
        fixture.send(.command(OperatorCommand(.promote, force: true)))
        #expect(fixture.machine.phase == .failingOver)
    }

    @Test("restored from the journal: the data's age, the last outcome, a postponed refresh, the schedule after the last start")
    func restored() {
        var fixture = Self.refreshing()
        let started = fixture.now
        fixture.send(.stepSucceeded(index: 0, detail: "swapped", serial: nil, swap: Self.swap), after: 20)
        fixture.confirmation = (true, true)
        fixture.send(.site(.primary, .down, detail: "down"), after: 5)
        fixture.finishSequence()
        #expect(fixture.machine.phase == .standbyActive)
        Self.reachDue(&fixture)
        var journal: [JournalRecord] = []
        // Rebuild the whole journal by replaying the same story into a recorder.
        var replay = FailoverFixture.primaryActive(Self.base)
        func record(_ actions: [FailoverAction]) { for case .journal(let record) in actions { journal.append(record) } }
        Self.reachDue(&replay); record(replay.actions)
        replay.send(.stepSucceeded(index: 0, detail: "swapped", serial: nil, swap: Self.swap), after: 20); record(replay.actions)
        replay.send(.site(.primary, .down, detail: "down"), after: 5); record(replay.actions)
        while let progress = replay.machine.sequence, progress.status == .running {
            replay.send(.stepSucceeded(index: progress.index, detail: "ok", serial: progress.step.isDNS ? 7 : nil), after: 1); record(replay.actions)
        }
        Self.reachDue(&replay); record(replay.actions)

        let restored = FailoverStateMachine.restored(from: journal, plan: Self.plan, policy: Self.policy, servedSite: .standby, now: replay.now.addingTimeInterval(30))
        #expect(restored.machine.phase == .standbyActive)
        #expect(restored.machine.refresh.dataAsOf == started)
        #expect(restored.machine.refresh.last?.success == true)
        #expect(restored.machine.refresh.last?.swap == Self.swap)
        #expect(restored.machine.refresh.postponed == "standby serving")
        #expect(restored.machine.refresh.pending != nil)
        #expect(restored.machine.refresh.nextDue == started.addingTimeInterval(86400), "the schedule counts from the last start")
        #expect(fixture.machine.refresh.dataAsOf == restored.machine.refresh.dataAsOf)
    }

    @Test("a refresh interrupted by a crash runs again after the restart (steps are idempotent), in PRIMARY_ACTIVE")
    func resumed() {
        var fixture = Self.refreshing()
        var journal: [JournalRecord] = []
        var replay = FailoverFixture.primaryActive(Self.base)
        Self.reachDue(&replay)
        for case .journal(let record) in replay.actions { journal.append(record) }
        let restored = FailoverStateMachine.restored(from: journal, plan: Self.plan, policy: Self.policy, servedSite: .primary, now: replay.now.addingTimeInterval(60))
        #expect(restored.machine.phase == .primaryActive)
        #expect(restored.actions.steps == [.refresh])
        #expect(restored.machine.sequence?.direction == .refresh)
        fixture.send(.tick)
    }
}
