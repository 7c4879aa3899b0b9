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
    @Test("runs on the interval, never overlapping, skipping slots a slow run overran; starts are spread")
    func schedule() async throws {
        let quick = RecordingProbe(name: "quick", duration: .milliseconds(5))
        let slow = RecordingProbe(name: "slow", duration: .milliseconds(250))
        let scheduler = ProbeScheduler([
            .init(probe: quick, interval: .milliseconds(100)), .init(probe: slow, interval: .milliseconds(100)),
        ])
        let lateness = NIOLockedValueBox([Duration]())
        let task = Task { await scheduler.run { _, late in lateness.withLockedValue { $0.append(late) } } }
        try await Task.sleep(for: .milliseconds(1030))
        task.cancel()
        await task.value
        // Loose bounds: the whole suite runs beside this test on two cores. Lateness targets are
        // measured by bench/probes.sh, not asserted here.
        #expect((8...11).contains(quick.starts.count), "\(quick.starts.count) runs")
        #expect(!slow.overlapped && !quick.overlapped)
        // The slow probe (250 ms, every 100 ms) runs every third slot: 0.05, 0.35, 0.65, 0.95 s.
        #expect((3...4).contains(slow.starts.count), "\(slow.starts.count) runs")
        // The second probe starts half an interval after the first.
        if let first = quick.starts.first, let second = slow.starts.first {
            #expect(second - first >= .milliseconds(40) && second - first <= .milliseconds(150))
        }
        #expect(lateness.withLockedValue { $0.allSatisfy { $0 < .milliseconds(200) } })
    }
}
