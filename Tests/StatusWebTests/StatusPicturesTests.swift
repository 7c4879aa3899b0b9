import Foundation
import LifeboatCore
@testable import StatusWeb
import Testing

@Suite("Status page pictures: sparklines, the step timeline, the 24-hour strip")
struct StatusPicturesTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a check's sparkline: one point per run, a cross per failed run, a text alternative")
    func sparkline() {
        var check = CheckStatus(name: "web", type: "http", state: .up, consecutiveFailures: 0, consecutiveSuccesses: 3, last: nil,
                                recent: [true, false, true, false, true])
        check.recentMs = [2.5, 900, 3, 5000, 2]
        let svg = StatusPictures.sparkline(check)
        #expect(svg.hasPrefix("<svg class=\"spark\""))
        #expect(svg.components(separatedBy: "class=\"fail\"").count - 1 == 2, "a cross for each failed run: \(svg)")
        #expect(svg.contains("aria-label=\"last 5 runs: 2 failed; latest 2.0 ms\""))
        let points = svg.components(separatedBy: "points=\"")[1].components(separatedBy: "\"")[0].split(separator: " ")
        #expect(points.count == 5)
        check.recentMs = nil
        #expect(StatusPictures.sparkline(check).isEmpty, "no durations, no picture")
    }

    @Test("the timeline: a bar per step as long as it took, with its state's symbol and duration")
    func timeline() {
        let sequence = SequenceStatus(direction: .failover, trigger: .automatic, forced: false, steps: [
            StepStatus(name: "readonly-apply:apache", state: .done, durationMs: 70, detail: nil),
            StepStatus(name: "readonly-apply:sql:main", state: .failed, durationMs: 30, detail: "boom"),
            StepStatus(name: "dns:standby", state: .pending, durationMs: nil, detail: nil),
        ], attempt: 1)
        let svg = StatusPictures.timeline(sequence, title: "last failover")
        #expect(svg.contains("✓ readonly-apply:apache") && svg.contains("✗ readonly-apply:sql:main") && svg.contains("· dns:standby"))
        #expect(svg.contains(">70 ms<") && svg.contains(">30 ms<") && svg.contains(">pending<"))
        let widths = svg.components(separatedBy: "width=\"").dropFirst(2).compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(widths.count == 3 && widths[0] > widths[1] * 2 && widths[2] == 3, "proportional bars: \(widths)")
    }

    @Test("the 24-hour strip: spans from the journal's phase changes, ERROR hatched, labels where they fit")
    func strip() {
        let changes: [(at: Date, phase: FailoverPhase)] = [
            (Self.now.addingTimeInterval(-90000), .primaryActive),
            (Self.now.addingTimeInterval(-25200), .failingOver),
            (Self.now.addingTimeInterval(-25190), .error),
            (Self.now.addingTimeInterval(-21600), .standbyActive),
        ]
        let spans = PhaseSpan.spans(changes: changes, current: .standbyActive, currentSince: Self.now.addingTimeInterval(-21600), now: Self.now)
        #expect(spans.map(\.phase) == [.primaryActive, .failingOver, .error, .standbyActive])
        #expect(spans.first?.from == Self.now.addingTimeInterval(-86400), "clipped to the window")
        #expect(spans.last?.to == Self.now)
        let svg = StatusPictures.phaseStrip(spans, now: Self.now)
        #expect(svg.contains("fill=\"url(#hatch)\""), "ERROR is hatched, not only coloured")
        #expect(svg.contains(">primary</text>") && svg.contains(">standby</text>"), "labels on the wide spans")
        #expect(svg.contains(">-24h<") && svg.contains(">now<"))
        let none = PhaseSpan.spans(changes: [], current: .primaryActive, currentSince: Self.now.addingTimeInterval(-600), now: Self.now)
        #expect(none == [PhaseSpan(phase: .primaryActive, from: Self.now.addingTimeInterval(-600), to: Self.now)])
    }

    @Test("the page carries them: strip, timeline of the last sequence, sparklines")
    func page() {
        var service = FakeStatusSource.service
        service.phases = [PhaseSpan(phase: .primaryActive, from: Self.now.addingTimeInterval(-3600), to: Self.now)]
        service.lastSequence = SequenceStatus(direction: .failback, trigger: .operator, forced: false,
                                              steps: [StepStatus(name: "dns:primary", state: .done, durationMs: 4, detail: nil)], attempt: 1)
        service.primary.checks[0].recentMs = [1, 2]
        let report = StatusReport(generatedAt: Self.now, version: "t", isolated: false, services: [service], witnesses: [])
        let html = StatusPage.render(report, history: [], now: Self.now)
        #expect(html.contains("<figure class=\"strip\">") && html.contains("<figure class=\"timeline\"><figcaption>last failback (operator)"))
        #expect(html.contains("<svg class=\"spark\""))
    }

    static func propagation() -> PropagationStatus {
        let target = { (name: String, kind: PropagationTarget.Kind) in PropagationTarget(kind: kind, name: name, address: "127.0.0.1:53") }
        return PropagationStatus(sequence: 4, switchedAt: now, site: .standby, serial: 7, expected: ["198.51.100.20"], targets: [
            .init(target: target("honest", .resolver), state: "switched", seconds: 1, waited: 1, answer: "198.51.100.20 ttl 5"),
            .init(target: target("min-ttl-60", .resolver), state: "switched", seconds: 28, waited: 28, answer: "198.51.100.20 ttl 60"),
            .init(target: target("127.0.0.1:5300", .secondary), state: "switched", seconds: 0.2, waited: 0.2, answer: "serial 7"),
            .init(target: target("stubborn", .resolver), state: "still old", seconds: nil, waited: 600, answer: "203.0.113.10 ttl 86400"),
        ])
    }

    @Test("the propagation curve: a rising step per target that answered the new (in order of time, labelled), a cross for each still old")
    func propagationCurve() {
        let svg = StatusPictures.propagationCurve(Self.propagation())
        #expect(svg.contains("DNS → standby (serial 7): 3 of 4 resolvers and secondaries answer it"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3, "a mark per switched target")
        #expect(svg.contains("● min-ttl-60 28.0 s") && svg.contains("✗ stubborn still old 600 s"))
        // The curve's steps: the secondary (0.2 s) first, then honest, then the lagging resolver; x spans 600 s.
        let path = svg.components(separatedBy: "<path d=\"")[1].components(separatedBy: "\"")[0]
        let horizontals = path.split(separator: " ").filter { $0.hasPrefix("H") }.compactMap { Double($0.dropFirst()) }
        #expect(horizontals == horizontals.sorted() && horizontals.count == 4, "\(path)")
        #expect(svg.contains(">600 s<"))
        var empty = Self.propagation()
        empty.targets = []
        #expect(StatusPictures.propagationCurve(empty).isEmpty)
    }

    @Test("the page shows the propagation table and the last drill")
    func propagationAndDrillOnThePage() {
        var service = FakeStatusSource.service
        service.propagation = Self.propagation()
        service.lastDrill = DrillReport(
            id: 3, startedBy: "drill by alice", startedAt: Self.now, finishedAt: Self.now.addingTimeInterval(20), outcome: "failed",
            outageToAnswerSeconds: 0.4, totalSeconds: 20, steps: [], propagation: [], problems: ["resolver stubborn still answered the old after 600 s"])
        let report = StatusReport(generatedAt: Self.now, version: "t", isolated: false, services: [service], witnesses: [])
        let html = StatusPage.render(report, history: [], now: Self.now)
        #expect(html.contains("propagation after the last switch") && html.contains("<figure class=\"curve\">"))
        #expect(html.contains("resolver min-ttl-60 (127.0.0.1:53)</td><td>switched after 28.0 s"))
        #expect(html.contains("<p class=\"drill alert\">#3 failed") && html.contains("outage → answer 0.4 s"))
    }
}
