import Foundation
import Glibc
import LifeboatTestSupport
@testable import StandbyActions
import SystemIO
import Testing

@Suite("Commands: swift-subprocess, own process group, timeout and abort")
struct CommandRunnerTests {
    let runner = CommandRunner(environment: ["LIFEBOAT_SERVICE=www"])

    @Test("output and errors together, the environment added, a non-zero exit named with the last lines")
    func failure() async throws {
        await #expect {
            try await runner.require(["/bin/sh", "-c", "echo out $LIFEBOAT_SERVICE; echo err >&2; exit 3"], "hook", timeout: .seconds(10))
        } throws: { error in
            let text = "\(error)"
            return text.contains("hook (/bin/sh -c") && text.contains("exited with 3") && text.contains("out www") && text.contains("err")
        }
        let output = try await runner.require(["printf", "a\\nb\\n"], "printf", timeout: .seconds(10))
        #expect(output == "a | b")
    }

    @Test("a program that does not exist is an error, not an exit status")
    func missing() async {
        await #expect { try await runner.run(["/nonexistent/lifeboat-hook"], timeout: .seconds(5)) } throws: { "\($0)".contains("lifeboat-hook") }
    }

    @Test("the timeout kills the whole process group, background children too")
    func timeout() async throws {
        let pidFile = NSTemporaryDirectory() + "lifeboat-cmd-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let outcome = try await runner.run(["/bin/sh", "-c", "sleep 60 & echo $! > \(pidFile); wait"], timeout: .seconds(1))
        #expect(outcome.timedOut && !outcome.succeeded && outcome.status == 128 + SIGKILL)
        let child = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let gone = await eventually { kill(child, 0) != 0 && errno == ESRCH }
        #expect(gone, "the background sleep was in the group and got SIGKILL")
    }

    @Test("abort (the cancel signal) sends SIGTERM to the group")
    func cancel() async throws {
        let cancel = CancelSignal()
        let running = Task { try await runner.cancelled(by: cancel).run(["sleep", "60"], timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(200))
        cancel.cancel()
        let outcome = try await running.value
        // Ended by the signal, not the timeout: the watchdog checks the deadline first, so a late
        // end (a starved test pool once took 31 s) would say timedOut. No wall-clock bound here.
        #expect(outcome.cancelled && outcome.status == 128 + SIGTERM && !outcome.timedOut, "\(outcome)")
    }

    @Test("output beyond the cap is read and dropped: the command is not stopped by a full pipe")
    func cappedOutput() async throws {
        let outcome = try await Command.run(["head", "-c", "300000", "/dev/zero"], timeout: .seconds(10), maxOutput: 1000)
        #expect(outcome.succeeded && outcome.output.utf8.count == 1000)
    }
}
