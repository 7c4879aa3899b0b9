@testable import Controller
import LifeboatConfig
import LifeboatCore
import LifeboatTestSupport
import Logging
import Probes
import Testing

@Suite("The health monitor's pace for the scheduler")
struct HealthMonitorPaceTests {
    @Test("a check runs fast from its first failure until fall settles it, and from its first success until rise does")
    func pace() async throws {
        let configuration = try load(minimalConfig)
        let entries = CheckEntry.all(in: configuration)
        let entry = try #require(entries.first { $0.owner == .site(service: "www", site: .primary) })
        let monitor = HealthMonitor(entries: entries, configuration: configuration, metrics: NoMetrics(), logger: Logger(label: "test"))
        func run(_ success: Bool) async -> ProbeScheduler.Pace {
            await monitor.record(ProbeResult(check: entry.key.description, success: success, reason: success ? nil : .refused,
                                             message: success ? "ok" : "refused", duration: .milliseconds(1)))
        }
        // Rising from unknown: fast until rise (3) successes make it up.
        #expect(await run(true) == .fast)
        #expect(await run(true) == .fast)
        #expect(await run(true) == .normal)
        // Up: a first failure starts the fast phase, the third makes it down and ends it.
        #expect(await run(false) == .fast)
        #expect(await run(false) == .fast)
        #expect(await run(false) == .normal)
        // Down: a success is fast again; a failure before rise is reached settles it back.
        #expect(await run(true) == .fast)
        #expect(await run(false) == .normal)
        // Our own failure (local) counts for nothing either way: the pace stays.
        #expect(await run(true) == .fast)
        let local = await monitor.record(ProbeResult(check: entry.key.description, success: false, reason: .local, message: "EMFILE",
                                                     duration: .zero))
        #expect(local == .fast)
        #expect(await monitor.checks(of: entry.owner).first { $0.name == entry.settings.name }?.fastPhase == true)
    }
}
