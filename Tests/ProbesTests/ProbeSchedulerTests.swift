import LifeboatCore
import NIOConcurrencyHelpers
import Probes
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
        while quick.starts.count < 5 && ContinuousClock.now - started < .seconds(15) {
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
    @Test("while the report says fast, the next run follows after the fast interval; then the interval again")
    func fastPhase() async throws {
        let probe = RecordingProbe(name: "changing", duration: .milliseconds(1))
        let scheduler = ProbeScheduler([.init(probe: probe, interval: .seconds(2), fastInterval: .milliseconds(50))])
        let reports = NIOLockedValueBox(0)
        let started = ContinuousClock.now
        // The first three reports ask for the fast pace (a state changing), then the normal one.
        let task = Task {
            await scheduler.run(startingAt: started) { _, _ in
                reports.withLockedValue { $0 += 1; return $0 <= 3 ? .fast : .normal }
            }
        }
        while probe.starts.count < 5 && ContinuousClock.now - started < .seconds(30) {
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        await task.value
        let starts = probe.starts
        try #require(starts.count >= 5, "no progress")
        let gaps = zip(starts, starts.dropFirst()).map { $1 - $0 }
        // Runs 2-4 come on the fast grid (well within the interval; a late start may bring the
        // next one closer), run 5 on the normal one after run 4 (less any lateness of run 4).
        #expect(gaps[0..<3].allSatisfy { $0 < .seconds(1) }, "\(gaps)")
        #expect(gaps[3] >= .milliseconds(1500), "\(gaps)")
    }
}
