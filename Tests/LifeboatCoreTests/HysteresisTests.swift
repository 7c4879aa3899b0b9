import LifeboatCore
import Testing

@Suite("Hysteresis, site health, witnesses, schedules")
struct HysteresisTests {
    /// Runs a result string ("ffs" = fail, fail, success) through a filter; returns states after each.
    static func states(_ runs: String, fall: Int = 3, rise: Int = 3, from start: String = "") -> [HealthState] {
        var filter = Hysteresis(fall: fall, rise: rise)
        for run in start { filter.record(success: run == "s") }
        return runs.map { run in
            filter.record(success: run == "s")
            return filter.state
        }
    }

    @Test("transitions", arguments: [
        // (prefix to reach a state, runs, expected states after each run)
        ("", "sss", [HealthState.unknown, .unknown, .up]),
        ("", "fff", [.unknown, .unknown, .down]),
        ("", "ssfss", [.unknown, .unknown, .unknown, .unknown, .unknown]),
        ("sss", "ff", [.up, .up]),
        ("sss", "fff", [.up, .up, .down]),
        ("sss", "ffsff", [.up, .up, .up, .up, .up]),  // two failures, a success: never down
        ("fff", "ss", [.down, .down]),
        ("fff", "sss", [.down, .down, .up]),
        ("fff", "ssfsss", [.down, .down, .down, .down, .down, .up]),
        ("sss", "fffsss", [.up, .up, .down, .down, .down, .up]),
    ])
    func transitions(_ prefix: String, _ runs: String, _ expected: [HealthState]) {
        #expect(Self.states(runs, from: prefix) == expected)
    }

    /// Whether the filter is changing after each run ("y" yes, "n" no).
    static func changing(_ runs: String, from start: String = "") -> String {
        var filter = Hysteresis(fall: 3, rise: 3)
        for run in start { filter.record(success: run == "s") }
        return String(runs.map { run in
            filter.record(success: run == "s")
            return filter.isChanging ? "y" : "n"
        })
    }

    @Test("fast phase: from a first failure while up (or a first success while down) until settled", arguments: [
        ("sss", "s", "n"), ("sss", "fff", "yyn"), ("sss", "ffs", "yyn"), ("sss", "fffs", "yyny"), ("fff", "sss", "yyn"),
        ("fff", "sf", "yn"), ("", "s", "y"), ("", "sss", "yyn"), ("", "f", "y"),
    ])
    func fastPhase(_ prefix: String, _ runs: String, _ expected: String) {
        #expect(Self.changing(runs, from: prefix) == expected)
    }

    @Test("a schedule steps by the interval, or by the step a run asks for, skipping overrun slots")
    func scheduleSteps() {
        let start = ContinuousClock.now
        var schedule = CheckSchedule(start: start, interval: .seconds(1))
        #expect(schedule.runFinished(at: start + .milliseconds(10), after: .milliseconds(200)) == start + .milliseconds(200))
        #expect(schedule.runFinished(at: start + .milliseconds(700), after: .milliseconds(200)) == start + .milliseconds(800))
        #expect(schedule.runFinished(at: start + .milliseconds(810)) == start + .milliseconds(1800))
    }

    @Test("fall 1 and rise 1 flip on every change")
    func fastest() {
        #expect(Self.states("sfsf", fall: 1, rise: 1) == [.up, .down, .up, .down])
    }

    @Test("a flapping check (down two rounds, up one) never goes down with fall 3")
    func flapping() {
        #expect(!Self.states(String(repeating: "ffs", count: 50), from: "sss").contains(.down))
    }

    @Test("a site is up when all its checks are up, down when any is down")
    func siteHealth() {
        var board = HealthBoard<String>()
        board.add(check: "web", owner: .site(service: "www", site: .primary), fall: 1, rise: 1)
        board.add(check: "db", owner: .site(service: "www", site: .primary), fall: 1, rise: 1)
        #expect(board.record(check: "web", success: true) == [.check(name: "web", owner: .site(service: "www", site: .primary), state: .up)])
        #expect(board.state(service: "www", site: .primary) == .unknown)
        #expect(board.record(check: "db", success: true).last == .site(service: "www", site: .primary, state: .up))
        #expect(board.record(check: "db", success: false).last == .site(service: "www", site: .primary, state: .down))
        #expect(board.record(check: "web", success: false) == [.check(name: "web", owner: .site(service: "www", site: .primary), state: .down)])
        #expect(board.record(check: "db", success: true).count == 1, "web is still down: the site stays down")
        #expect(board.state(service: "www", site: .primary) == .down)
    }

    @Test("isolated only when every witness is down")
    func witnesses() {
        var board = HealthBoard<String>()
        board.add(check: "w1", owner: .witness, fall: 2, rise: 1)
        board.add(check: "w2", owner: .witness, fall: 2, rise: 1)
        _ = board.record(check: "w1", success: false)
        #expect(board.record(check: "w1", success: false) == [.check(name: "w1", owner: .witness, state: .down)])
        #expect(!board.isolated)
        _ = board.record(check: "w2", success: false)
        #expect(board.record(check: "w2", success: false).last == .isolated(true))
        #expect(board.record(check: "w1", success: true).last == .isolated(false))
    }

    @Test("no witnesses: never isolated")
    func noWitnesses() {
        var board = HealthBoard<String>()
        board.add(check: "web", owner: .site(service: "www", site: .primary), fall: 1, rise: 1)
        _ = board.record(check: "web", success: false)
        #expect(!board.isolated)
    }

    @Test("schedules are jitter-free and skip slots a slow run overran")
    func schedule() {
        let start = ContinuousClock.now
        var schedule = CheckSchedule(start: start, interval: .seconds(1))
        #expect(schedule.runFinished(at: start + .milliseconds(300)) == start + .seconds(1))
        #expect(schedule.runFinished(at: start + .milliseconds(1200)) == start + .seconds(2))
        // A run due at 2 s that hung until 4.5 s: the next is at 5 s, not at 3 s and 4 s at once.
        #expect(schedule.runFinished(at: start + .milliseconds(4500)) == start + .seconds(5))
        // Finishing exactly on the next slot does not start another run at the same instant.
        #expect(schedule.runFinished(at: start + .seconds(6)) == start + .seconds(7))
    }
}
