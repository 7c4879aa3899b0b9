import LifeboatCore
import NIOConcurrencyHelpers
import Probes
import LifeboatTestSupport
import Testing

/// A probe that takes `duration` and records when its runs start and whether two ever overlap.
final class RecordingProbe: Probe {
    let name: String
    let duration: Duration
    private let state = NIOLockedValueBox((starts: [ContinuousClock.Instant](), running: 0, overlapped: false))

    init(name: String, duration: Duration) {
        self.name = name
        self.duration = duration
    }

    func run() async -> ProbeResult {
        state.withLockedValue { state in
            state.starts.append(.now)
            state.running += 1
            if state.running > 1 { state.overlapped = true }
        }
        try? await Task.sleep(for: duration)
        state.withLockedValue { $0.running -= 1 }
        return ProbeResult(check: name, success: true, reason: nil, message: "ok", duration: duration)
    }

    var starts: [ContinuousClock.Instant] { state.withLockedValue { $0.starts } }
    var overlapped: Bool { state.withLockedValue { $0.overlapped } }
}

@Suite("The probe scheduler")
struct ProbeSchedulerTests {
    /// What must hold however loaded the machine is: timing figures come from bench/probes.sh.
    @Test("never overlapping, never more often than the interval, slow runs skip slots, starts staggered")
    func schedule() async throws {
        let quick = RecordingProbe(name: "quick", duration: .milliseconds(5))
        let slow = RecordingProbe(name: "slow", duration: .milliseconds(250))
        let scheduler = ProbeScheduler([
            .init(probe: quick, interval: .milliseconds(100)), .init(probe: slow, interval: .milliseconds(100)),
        ])
        let started = ContinuousClock.now
        let task = Task { await scheduler.run(startingAt: started) { _, _ in .normal } }
        // Run until there is something to judge (the rest of the suite may starve this for a while).
        while quick.starts.count < 5 && ContinuousClock.now - started < .seconds(60) {
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        await task.value
        let elapsed = ContinuousClock.now - started
        #expect(!slow.overlapped && !quick.overlapped)
        #expect(quick.starts.count >= 5, "no progress in \(elapsed)")
        #expect(Double(quick.starts.count) <= elapsed / .milliseconds(100) + 1, "\(quick.starts.count) runs in \(elapsed)")
        // Runs keep to the grid: every run has a slot of its own (a late run and the next on-time
        // one may be closer than the interval, never in the same slot), and the slow probe's runs
        // (250 ms every 100 ms) are at least three slots apart: overrun slots are skipped.
        func slots(_ starts: [ContinuousClock.Instant], offset: Duration) -> [Int] {
            starts.map { Int(($0 - started - offset) / .milliseconds(100)) }
        }
        let quickSlots = slots(quick.starts, offset: .zero)
        #expect(zip(quickSlots, quickSlots.dropFirst()).allSatisfy { $0 < $1 }, "\(quickSlots)")
        let slowSlots = slots(slow.starts, offset: .milliseconds(50))
        #expect(zip(slowSlots, slowSlots.dropFirst()).allSatisfy { $1 - $0 >= 3 }, "\(slowSlots)")
        // The second of two probes starts half an interval after the first, never before.
        if let first = slow.starts.first { #expect(first - started >= .milliseconds(45)) }
    }
}

@Suite("The probe scheduler's fast phase")
struct ProbeSchedulerFastTests {
    /// On a manual clock the instants the scheduler asks for are exact, however loaded the machine
    /// (the first version measured wall-clock gaps and failed in CI when the pool was starved 1 s).
    @Test("while the report says fast, the next run is due after the fast interval; then after the interval again")
    func fastPhase() async throws {
        let clock = ManualClock()
        let probe = RecordingProbe(name: "changing", duration: .zero)
        let scheduler = ProbeScheduler([.init(probe: probe, interval: .seconds(2), fastInterval: .milliseconds(50))])
        let reports = NIOLockedValueBox([Duration]())
        let start = clock.now
        // The first three reports ask for the fast pace (a state changing), then the normal one.
        let task = Task {
            await scheduler.run(on: clock, startingAt: start) { _, lateness in
                reports.withLockedValue { $0.append(lateness); return $0.count <= 3 ? .fast : .normal }
            }
        }
        defer { task.cancel() }
        let expected: [Duration] = [.milliseconds(50), .milliseconds(100), .milliseconds(150), .milliseconds(2150)]
        for (run, due) in expected.enumerated() {
            let deadlines = await clock.sleepers(1)
            try #require(deadlines == [start.advanced(by: due)], "after run \(run + 1): \(deadlines), expected \(due)")
            #expect(probe.starts.count == run + 1)
            if run < expected.count - 1 { clock.advance(to: deadlines[0]) }
        }
        // Every run started on time on this clock, so every report said no lateness.
        #expect(reports.withLockedValue { $0 } == [Duration](repeating: .zero, count: 4))
        task.cancel()
        await task.value
    }

    @Test("a run that ends past its fast slots skips them: the next is due on the first fast slot after it")
    func fastPhaseSkipsOverrun() async throws {
        let clock = ManualClock()
        let probe = RecordingProbe(name: "slow", duration: .zero)
        let scheduler = ProbeScheduler([.init(probe: probe, interval: .seconds(2), fastInterval: .milliseconds(50))])
        let start = clock.now
        // The report itself takes 120 ms of the clock's time: slots at 50 and 100 ms are gone.
        let task = Task {
            await scheduler.run(on: clock, startingAt: start) { _, _ in
                clock.advance(to: clock.now.advanced(by: .milliseconds(120)))
                return .fast
            }
        }
        defer { task.cancel() }
        let deadlines = await clock.sleepers(1)
        #expect(deadlines == [start.advanced(by: .milliseconds(150))], "\(deadlines)")
        task.cancel()
        await task.value
    }
}
