#if canImport(Glibc)
import Glibc
#endif
import LifeboatCore

/// For the crash-safety tests only: `LIFEBOAT_TEST_CRASH_AT=<step>` (e.g. `dns:standby`,
/// `readonly-apply:apache`) makes the daemon SIGKILL itself at that step — after the step ran
/// and before its end is journaled, or with `LIFEBOAT_TEST_CRASH_WHEN=before`, after its start
/// is journaled and before it runs. Unset in production; nothing else reads it.
struct CrashPoint: Sendable {
    enum Moment: String, Sendable { case before, after }
    let step: String
    let moment: Moment

    static func fromEnvironment() -> CrashPoint? {
        guard let step = getenv("LIFEBOAT_TEST_CRASH_AT").map({ String(cString: $0) }), !step.isEmpty else { return nil }
        let moment = getenv("LIFEBOAT_TEST_CRASH_WHEN").flatMap { Moment(rawValue: String(cString: $0)) } ?? .after
        return CrashPoint(step: step, moment: moment)
    }

    func fire(at step: FailoverStep, _ moment: Moment) {
        guard step.description == self.step, moment == self.moment else { return }
        kill(getpid(), SIGKILL)
    }
}
