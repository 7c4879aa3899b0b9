import SystemIO

/// Runs configured commands (reload, configtest, resync, extra steps) as child processes that
/// hold no thread while they run: never on the thread pool the MySQL checks use.
struct CommandRunner: Sendable {
    /// `LIFEBOAT_SERVICE=…` and the like, added to every command's environment.
    let environment: [String]

    /// Raised by `abort` to end the command running now (a resync that hangs, say).
    let cancel: CancelSignal?

    init(environment: [String], cancel: CancelSignal? = nil) {
        self.environment = environment
        self.cancel = cancel
    }

    /// The same runner, its commands ended when `cancel` is raised.
    func cancelled(by cancel: CancelSignal?) -> CommandRunner {
        CommandRunner(environment: environment, cancel: cancel)
    }

    /// Runs `arguments` (with `extra` added to the environment); a failure to start is an error,
    /// a non-zero exit is in the outcome.
    func run(_ arguments: [String], timeout: Duration, environment extra: [String] = []) async throws -> ChildProcess.Outcome {
        do throws(SystemError) {
            return try await Command.run(arguments, environment: environment + extra, timeout: timeout, cancel: cancel)
        } catch {
            throw StandbyActionError(.command, "\(arguments.first ?? ""): \(error.message)")
        }
    }

    /// Runs `arguments` and throws unless it exits with 0; `what` names it in the error.
    @discardableResult
    func require(
        _ arguments: [String], _ what: String, timeout: Duration, kind: StandbyActionError.Kind = .command, environment extra: [String] = []
    ) async throws -> String {
        let outcome = try await run(arguments, timeout: timeout, environment: extra)
        guard outcome.succeeded else {
            let how = outcome.cancelled ? "was ended by abort (SIGTERM to its process group, SIGKILL after 5 s; exit \(outcome.status))"
                : outcome.timedOut ? "timed out after \(timeout)" : "exited with \(outcome.status)"
            throw StandbyActionError(kind, "\(what) (\(arguments.joined(separator: " "))) \(how): \(Self.tail(outcome.output))")
        }
        return Self.tail(outcome.output)
    }

    /// The last lines of a command's output, short enough for a log line or a status page.
    static func tail(_ output: String) -> String {
        let lines = output.split(separator: "\n").suffix(5).joined(separator: " | ")
        return lines.count > 600 ? String(lines.suffix(600)) : lines
    }
}
