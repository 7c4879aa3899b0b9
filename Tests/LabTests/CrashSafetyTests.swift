import Foundation
import LifeboatTestSupport
import Glibc
import LifeboatCore
import Testing

extension LabSuites {
/// SIGKILL at every step of a failover and of a failback (LIFEBOAT_TEST_CRASH_AT names the step),
/// then a restart: the daemon resumes at the first unfinished step and reaches the same end state.
@Suite("Crash safety: SIGKILL at each step, restart, same end state")
struct CrashSafetyTests {
    static let failoverSteps = ["stop-replication", "database-writable", "readonly-apply:apache", "readonly-apply:sql:main", "readonly-apply:sql:groups", "dns:standby"]
    static let failbackSteps = [
        "dns:primary", "drain", "readonly-revert:sql:groups", "readonly-revert:sql:main", "readonly-revert:apache",
        "resync", "database-read-only", "start-replication", "verify-replication",
    ]

    /// How many times the journal says `step` of the newest sequence started.
    static func starts(of step: String, in daemon: LabDaemon) throws -> Int {
        let history = try daemon.history()
        guard let sequence = history.first(where: { $0.kind == .sequence && $0.summary.contains("started") }),
              let id = sequence.summary.split(separator: " ").first(where: { $0.hasPrefix("#") }),
              let list = sequence.summary.components(separatedBy: "steps: ").last?.components(separatedBy: ", "),
              let index = list.firstIndex(of: step)
        else { return 0 }
        return history.filter { $0.summary.hasPrefix("\(id) step \(index + 1) started") }.count
    }

    /// Starts the daemon set to die at `step`, sends `command`, waits for the SIGKILL, restarts it.
    static func crash(_ daemon: LabDaemon, at step: String, moment: String, command: OperatorCommandKind) async throws {
        if step == "drain" {
            // The drain is a timer, not a step that runs: kill it from outside while it waits.
            try await daemon.start()
            #expect(try daemon.command(command, force: true).accepted)
            #expect(await eventually(within: .seconds(10)) {
                (try? daemon.status().sequence?.steps.first { $0.name == "drain" }?.state) == .waiting
            })
            kill(daemon.pid, SIGKILL)
        } else {
            try await daemon.start(environment: ["LIFEBOAT_TEST_CRASH_AT=\(step)", "LIFEBOAT_TEST_CRASH_WHEN=\(moment)"])
            // The first step may kill the daemon before its answer is written: no answer is fine.
            if let response = try? daemon.command(command, force: true) { #expect(response.accepted) }
        }
        #expect(daemon.waitForExit(within: .seconds(60)) == 128 + SIGKILL, "\(step): \(daemon.logText.suffix(2000))")
        try await daemon.start()
    }

    @Test("every failover and failback step", .timeLimit(.minutes(5)))
    func everyStep() async throws {
        let daemon = try LabDaemon(LabDaemon.Options(ttl: 1, drainGrace: "3s"))
        defer { daemon.stop(); Standby.reset() }
        for (round, failbackStep) in Self.failbackSteps.enumerated() {
            let failoverStep = Self.failoverSteps[round % Self.failoverSteps.count]
            let moment = round.isMultiple(of: 2) ? "after" : "before"

            try await Self.crash(daemon, at: failoverStep, moment: moment, command: .promote)
            #expect(await daemon.waitFor(.standbyActive, within: .seconds(30)), "\(failoverStep): \(daemon.logText.suffix(2000))")
            #expect(daemon.addresses() == Standby.standbyAddress, "\(failoverStep)")
            #expect(Standby.page().contains("readonly=yes"), "\(failoverStep)")
            #expect(Standby.loginPostStatus() == 503, "\(failoverStep)")
            #expect(Standby.count("SELECT COUNT(*) FROM \(Standby.sessions) WHERE uid <> 1") == 0, "\(failoverStep)")
            #expect(try Self.starts(of: failoverStep, in: daemon) == 2, "\(failoverStep) resumed, not skipped or repeated twice")
            daemon.stop()

            try await Self.crash(daemon, at: failbackStep, moment: moment, command: .failback)
            #expect(await daemon.waitFor(.primaryActive, within: .seconds(90)), "\(failbackStep): \(daemon.logText.suffix(2000))")
            #expect(daemon.addresses() == Standby.primaryAddress, "\(failbackStep)")
            #expect(Standby.page().contains("readonly=no"), "\(failbackStep)")
            #expect(Standby.count("SELECT COUNT(*) FROM main_access") == 0, "\(failbackStep)")
            #expect(Standby.sql("SELECT COUNT(*) FROM main_variable WHERE name = 'site_readonly'") == "0", "\(failbackStep)")
            #expect(Standby.replicating(), "\(failbackStep): \(Standby.replicaStatus())")
            #expect(try Self.starts(of: failbackStep, in: daemon) == 2, "\(failbackStep) resumed")
            daemon.stop()
        }
    }
}
}
