import Foundation
import LifeboatCore
import Testing

/// Rebuilding the machine from its journal after a crash at any point.
@Suite("Failover state machine: restore from the journal")
struct FailoverRestoreTests {
    /// Drives a machine and keeps every journal record it produced.
    struct Recorder {
        var fixture: FailoverFixture
        var records: [JournalRecord] = []

        mutating func send(_ event: FailoverEvent, after seconds: Double = 0) {
            let actions = fixture.send(event, after: seconds)
            records += actions.compactMap { if case .journal(let record) = $0 { record } else { nil } }
        }

        func restored(servedSite: SiteRole?, after seconds: Double = 1) -> (machine: FailoverStateMachine, actions: [FailoverAction]) {
            FailoverStateMachine.restored(
                from: records, plan: FailoverFixture.plan, policy: FailoverFixture.policy(), servedSite: servedSite,
                now: fixture.now.addingTimeInterval(seconds))
        }
    }

    /// Healthy sites, then the primary down a second later: the failover's first step is running.
    static func failingOverRecorder() -> Recorder {
        var recorder = Recorder(fixture: FailoverFixture())
        recorder.send(.site(.primary, .up, detail: ""))
        recorder.send(.site(.standby, .up, detail: ""))
        recorder.send(.site(.primary, .down, detail: "refused"), after: 1)
        return recorder
    }

    static func standbyActiveRecorder() -> Recorder {
        var recorder = Self.failingOverRecorder()
        while let progress = recorder.fixture.machine.sequence {
            recorder.send(.stepSucceeded(index: progress.index, detail: "ok", serial: progress.step.isDNS ? 5 : nil))
        }
        return recorder
    }

    @Test("a crash during the drain resumes the drain with a deadline, and it completes")
    func drainResumes() {
        var recorder = Self.standbyActiveRecorder()
        recorder.send(.command(OperatorCommand(.failback, force: true)), after: 1)
        recorder.send(.stepSucceeded(index: 0, detail: "ok", serial: 6))
        #expect(recorder.fixture.machine.sequence?.step == .drain)
        let (restored, actions) = recorder.restored(servedSite: .primary)
        #expect(restored.phase == .failingBack)
        #expect(actions.steps.isEmpty)
        guard let deadline = restored.nextDeadline() else {
            Issue.record("no deadline: the drain would never end")
            return
        }
        #expect(deadline == recorder.fixture.now.addingTimeInterval(1 + 7))
        var machine = restored
        let after = machine.handle(.tick, now: deadline)
        #expect(after.steps == [.revertReadOnly("sql:shared_")])
    }

    @Test("a crash after the last step but before the sequence's record finishes it")
    func finishedButUnrecorded() {
        var recorder = Self.standbyActiveRecorder()
        let finished = recorder.records.lastIndex { if case .sequenceFinished = $0.entry { true } else { false } }!
        recorder.records.removeSubrange(finished...)
        let (restored, actions) = recorder.restored(servedSite: .standby)
        #expect(restored.phase == .standbyActive)
        #expect(restored.sequence == nil)
        #expect(actions.records.contains { if case .sequenceFinished = $0 { true } else { false } })
    }

    @Test("a crash mid-step resumes at that step; paused and read-only steps survive; anti-flap waits for the failover to complete")
    func midStep() {
        var recorder = Self.failingOverRecorder()
        recorder.send(.stepSucceeded(index: 0, detail: "ok", serial: nil))
        recorder.send(.stepSucceeded(index: 1, detail: "ok", serial: nil))
        recorder.send(.command(OperatorCommand(.pause)))
        let (restored, actions) = recorder.restored(servedSite: .primary)
        #expect(actions.steps == [.applyReadOnly("sql:main_")])
        #expect(restored.paused)
        #expect(restored.readOnlyApplied == ["apache"])
        #expect(restored.lastAutomaticFailover == nil, "not complete yet")
        var resumed = restored
        var pending = actions.steps
        while !pending.isEmpty, let index = resumed.sequence?.index {
            pending = resumed.handle(.stepSucceeded(index: index, detail: "ok", serial: 7), now: FailoverFixture.start.addingTimeInterval(5)).steps
        }
        #expect(resumed.phase == .standbyActive)
        #expect(resumed.lastAutomaticFailover == FailoverFixture.start.addingTimeInterval(1), "counted from the start, once complete")
    }

    @Test("a sequence stopped in ERROR stays stopped after a restart")
    func haltedStays() {
        var recorder = Self.failingOverRecorder()
        recorder.send(.stepFailed(index: 0, message: "no"))
        recorder.send(.tick, after: 2)
        recorder.send(.stepFailed(index: 0, message: "no"))
        #expect(recorder.fixture.machine.phase == .error)
        let (restored, actions) = recorder.restored(servedSite: .primary)
        #expect(restored.phase == .error)
        #expect(actions.isEmpty)
    }

    @Test("the zone's served site wins over the journal when the crash fell between them")
    func servedSiteWins() {
        var recorder = Self.failingOverRecorder()
        for index in 0..<4 { recorder.send(.stepSucceeded(index: index, detail: "ok", serial: nil)) }
        #expect(recorder.fixture.machine.sequence?.step == .switchDNS(.standby))
        let (restored, actions) = recorder.restored(servedSite: .standby)
        #expect(restored.dnsSite == .standby)
        #expect(actions.steps == [.switchDNS(.standby)], "the DNS step runs again (idempotent)")
    }
}
