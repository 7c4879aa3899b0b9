#if canImport(Glibc)
import Glibc
#endif
import LifeboatCore

/// For the crash-safety tests only: `LIFEBOAT_TEST_CRASH_AT=<step>` (e.g. `dns:standby`,
/// `readonly-apply:apache`) makes the daemon SIGKILL itself at that step — after the step ran
/// and before its end is journaled, or with `LIFEBOAT_TEST_CRASH_WHEN=before`, after its start
/// is journaled and before it runs; with `stop`, it SIGSTOPs itself after the step ran — a
/// process paused (a VM frozen, a long stall) that goes on where it was on SIGCONT, as a leader
/// that lost its lease meanwhile would. Unset in production; nothing else reads it.
struct CrashPoint: Sendable {
    enum Moment: String, Sendable { case before, after, stop }
    let step: String
    let moment: Moment

    static func fromEnvironment() -> CrashPoint? {
        guard let step = getenv("LIFEBOAT_TEST_CRASH_AT").map({ String(cString: $0) }), !step.isEmpty else { return nil }
        let moment = getenv("LIFEBOAT_TEST_CRASH_WHEN").flatMap { Moment(rawValue: String(cString: $0)) } ?? .after
        return CrashPoint(step: step, moment: moment)
    }

    func fire(at step: FailoverStep, _ moment: Moment) {
        guard step.description == self.step else { return }
        if moment == .after, self.moment == .stop {
            kill(getpid(), SIGSTOP)
            return
        }
        guard moment == self.moment else { return }
        kill(getpid(), SIGKILL)
    }
}
