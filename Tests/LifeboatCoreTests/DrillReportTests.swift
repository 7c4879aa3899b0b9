import Foundation
import Testing
import LifeboatCore

@Suite("Drill reports and the propagation status, built from the journal")
struct DrillReportTests {
    /// The journal of a drill run on a fixture machine, with propagation records after each switch.
    static func drillJournal(primaryDownMidway: Bool = false) -> [JournalRecord] {
        var fixture = FailoverFixture.primaryActive()
        fixture.confirmation = nil
        var journal: [JournalRecord] = []
        func keep(_ actions: [FailoverAction]) { journal += actions.compactMap { if case .journal(let r) = $0 { r } else { nil } } }
        keep(fixture.send(.command(OperatorCommand(.drill, reason: "quarterly", by: "alice")), after: 1))
        var guardCount = 0
        while guardCount < 80 {
            guardCount += 1
            guard let progress = fixture.machine.sequence else {
                guard fixture.machine.phase == .standbyActive, !primaryDownMidway else { break }
                keep(fixture.send(.tick, after: 60))
                continue
            }
            switch progress.status {
            case .running:
                if primaryDownMidway, progress.step == .switchDNS(.standby) { keep(fixture.send(.site(.primary, .down, detail: "refused"))) }
                let serial: UInt32? = progress.step.isDNS ? UInt32(10 + guardCount) : nil
                keep(fixture.send(.stepSucceeded(index: progress.index, detail: "ok", serial: serial), after: 0.5))
                if case .switchDNS(let site) = progress.step, let serial {
                    let resolver = PropagationTarget(kind: .resolver, name: "isp", address: "192.0.2.53:53")
                    journal.append(JournalRecord(at: fixture.now.addingTimeInterval(2), .propagation(
                        sequence: progress.id, site: site, serial: serial, target: resolver, seconds: site == .standby ? 2 : nil, waited: 2,
                        answer: "www.example.com. 198.51.100.20 ttl 5")))
                }
            case .draining(let until), .waitingRetry(let until): keep(fixture.send(.tick, after: until.timeIntervalSince(fixture.now)))
            case .halted: return journal
            }
        }
        return journal
    }

    @Test("a drill that went through: passed (a lagging resolver listed, not failing it), outage → answer up to the failover's DNS step, every step timed, propagation of both switches")
    func passed() throws {
        let report = try #require(DrillReport.last(in: Self.drillJournal()))
        #expect(report.outcome == "passed", "a resolver still old is the world's problem: shown, not a failed drill")
        #expect(report.problems == ["resolver isp (192.0.2.53:53) still answered the old after 2 s"])
        #expect(report.startedBy == "drill by alice: quarterly")
        // stop-replication, 3 read-only steps and dns:standby, each 0.5 s: the answer comes 2.5 s after the start.
        #expect(report.outageToAnswerSeconds == 2.5)
        #expect(report.steps.map(\.direction) == Array(repeating: .failover, count: 5) + Array(repeating: .failback, count: 8))
        #expect(report.steps.allSatisfy { $0.success == true })
        #expect(report.steps.first { $0.step == "drain" }?.seconds == 7)
        #expect(report.propagation.map(\.site) == [.standby, .primary] && report.propagation[0].seconds == 2)
        #expect(report.finishedAt != nil && report.totalSeconds! > 60, "drill_hold (60 s) is part of it")
    }

    @Test("the primary going down during the drill: 'became real', no failback in the report; a step that failed for good fails it")
    func becameReal() throws {
        let report = try #require(DrillReport.last(in: Self.drillJournal(primaryDownMidway: true)))
        #expect(report.outcome == "became real" && report.finishedAt == nil, "\(report)")
        #expect(report.problems.contains { $0.contains("the drill is now a real failover") })

        var journal = Self.drillJournal()
        let failback = try #require(journal.firstIndex { if case .sequenceStarted(_, .failback, _, _, _, _) = $0.entry { true } else { false } })
        guard case .sequenceStarted(let id, _, _, _, _, _) = journal[failback].entry else { return }
        journal.insert(JournalRecord(at: journal[failback].at, .stepStarted(sequence: id, index: 0, attempt: 1)), at: failback + 1)
        journal.insert(JournalRecord(at: journal[failback].at, .stepFinished(sequence: id, index: 0, success: false, message: "zone write failed", serial: nil)),
                       at: failback + 2)
        let failed = try #require(DrillReport.last(in: journal))
        #expect(failed.outcome == "failed" && failed.problems.first == "dns:primary failed (try 1): zone write failed", "\(failed.problems)")
    }

    @Test("no drill in the journal: no report; the propagation status comes back from the journal after a restart")
    func propagationRestored() throws {
        #expect(DrillReport.last(in: []) == nil)
        let status = try #require(PropagationStatus.last(in: Self.drillJournal()))
        #expect(status.site == .primary && status.targets.count == 1 && status.targets[0].state == "still old")
    }

    @Test("a drill aborted during its failover: failed, and the rollback's steps are in the report")
    func abortedWithRollback() throws {
        var fixture = FailoverFixture.primaryActive()
        var journal: [JournalRecord] = []
        func keep(_ actions: [FailoverAction]) { journal += actions.compactMap { if case .journal(let r) = $0 { r } else { nil } } }
        keep(fixture.send(.command(OperatorCommand(.drill)), after: 1))
        for index in 0..<2 { keep(fixture.send(.stepSucceeded(index: index, detail: "ok", serial: nil), after: 0.5)) }  // stop-replication, apache
        keep(fixture.send(.stepFailed(index: 2, message: "no table")))
        keep(fixture.send(.tick, after: 5))
        keep(fixture.send(.stepFailed(index: 2, message: "no table")))
        keep(fixture.send(.command(OperatorCommand(.abort, by: "bob")), after: 1))
        #expect(fixture.machine.sequence?.steps.first == .drain, "the rollback runs")
        while let progress = fixture.machine.sequence {
            switch progress.status {
            case .running: keep(fixture.send(.stepSucceeded(index: progress.index, detail: "ok", serial: nil), after: 0.5))
            case .draining(let until), .waitingRetry(let until): keep(fixture.send(.tick, after: until.timeIntervalSince(fixture.now)))
            case .halted: Issue.record("halted"); return
            }
        }
        let report = try #require(DrillReport.last(in: journal))
        #expect(report.outcome == "failed")
        #expect(report.steps.filter { $0.direction == .failback }.map(\.step)
                == ["drain", "readonly-revert:sql:main_", "readonly-revert:apache", "start-replication", "verify-replication"], "\(report.steps.map(\.step))")
        #expect(report.finishedAt != nil)
        #expect(report.problems.contains { $0.hasPrefix("aborted by bob") })
    }
}
