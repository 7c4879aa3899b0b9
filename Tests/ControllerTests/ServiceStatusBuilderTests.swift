@testable import Controller
import Foundation
import LifeboatConfig
import LifeboatCore
import LifeboatTestSupport
import Testing

@Suite("The service status, built from a snapshot of the machine")
struct ServiceStatusBuilderTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let plan = StepPlan(readOnlySteps: ["apache", "sql:main"], replication: true, resync: true)
    static let policy = FailoverPolicy(
        automaticFailback: false, holddown: .seconds(10), minFailoverInterval: .seconds(600), drain: .seconds(7), stepRetries: 2)

    static func build(_ machine: FailoverStateMachine, history: [JournalRecord] = [], standbyChecks: [CheckStatus] = []) throws -> ServiceStatus {
        let settings = try #require(try load(minimalConfig).services.first)
        let health = ServiceHealth(
            primary: (.up, "all checks up"), standby: (standbyChecks.isEmpty ? .up : .down, "standby detail"),
            primaryChecks: [], standbyChecks: standbyChecks)
        return ServiceStatusBuilder(
            settings: settings, machine: machine, history: history, preflight: nil, health: health, serial: 42, now: now
        ).status
    }

    @Test("at rest: the configured names and addresses, the serial, no sequence and no countdown")
    func atRest() throws {
        var machine = FailoverStateMachine(plan: Self.plan, policy: Self.policy, now: Self.now)
        _ = machine.handle(.site(.primary, .up, detail: "up"), now: Self.now)
        let status = try Self.build(machine)
        #expect(status.name == "www" && status.zone == "example.com." && status.owners == ["www.example.com."])
        #expect(status.activeSite == .primary && status.addresses == ["203.0.113.10"] && status.serial == 42)
        #expect(status.sequence == nil && status.countdowns.isEmpty)
    }

    @Test("a forced failover under way: the steps' states, typed, in order, with durations from the journal")
    func sequence() throws {
        var machine = FailoverStateMachine(plan: Self.plan, policy: Self.policy, now: Self.now)
        _ = machine.handle(.site(.primary, .up, detail: "up"), now: Self.now)
        _ = machine.handle(.site(.standby, .up, detail: "up"), now: Self.now)
        let actions = machine.handle(.command(OperatorCommand(.promote, force: true, reason: "drill", by: "test")), now: Self.now)
        #expect(actions.contains { if case .runStep(0, .stopReplication, .failover, _) = $0 { true } else { false } })
        let id = try #require(machine.sequence?.id)
        _ = machine.handle(.stepSucceeded(index: 0, detail: "stopped", serial: nil), now: Self.now.addingTimeInterval(2))
        let history = [
            JournalRecord(at: Self.now, .stepStarted(sequence: id, index: 0, attempt: 1)),
            JournalRecord(at: Self.now.addingTimeInterval(1.5), .stepFinished(sequence: id, index: 0, success: true, message: "stopped", serial: nil)),
        ]
        let status = try Self.build(machine, history: history)
        let steps = try #require(status.sequence?.steps)
        #expect(steps.map(\.name) == ["stop-replication", "readonly-apply:apache", "readonly-apply:sql:main", "dns:standby"])
        #expect(steps.map(\.state) == [.done, .running, .pending, .pending])
        #expect(steps[0].durationMs == 1500 && steps[0].detail == "stopped")
        #expect(status.sequence?.forced == true && status.sequence?.direction == .failover)
    }

    @Test("the standby's stopped replication is explained while it serves")
    func replicationStoppedOnPurpose() throws {
        var machine = FailoverStateMachine(plan: StepPlan(readOnlySteps: [], replication: false, resync: false), policy: Self.policy, now: Self.now)
        _ = machine.handle(.site(.primary, .up, detail: "up"), now: Self.now)
        _ = machine.handle(.site(.standby, .up, detail: "up"), now: Self.now)
        _ = machine.handle(.command(OperatorCommand(.promote, force: true, reason: "drill", by: "test")), now: Self.now)
        _ = machine.handle(.stepSucceeded(index: 0, detail: "DNS", serial: 43), now: Self.now)
        #expect(machine.dnsSite == .standby)
        let stopped = CheckStatus(
            name: "standby-db", type: "mysql", state: .down, consecutiveFailures: 3, consecutiveSuccesses: 0,
            last: CheckRun(at: Self.now, success: false, reason: .replicationStopped, message: "io=No", durationMs: 2, httpStatus: nil, lagSeconds: nil),
            recent: [false])
        let status = try Self.build(machine, standbyChecks: [stopped])
        #expect(status.standby.detail.hasPrefix("replication stopped on purpose"), "\(status.standby.detail)")
    }
}
