import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program (never through a shell) without holding a thread while it runs: swift-subprocess
/// spawns it (stdin from /dev/null, default signal handling, an empty signal mask, its own process
/// group) and waits on it through its own pidfd/epoll monitor, so a one-hour resync costs no thread
/// of any pool. The process group is killed when `timeout` passes, and gets SIGTERM (SIGKILL after
/// `grace`) when `cancel` is raised.
public enum Command {
    /// Runs `arguments[0]` (a path, or a name looked up in PATH) with the rest as its arguments.
    /// `environment` entries (`NAME=value`) are added to Lifeboat's own; a name given twice takes
    /// its last value. Output beyond `maxOutput` bytes is read and dropped.
    public static func run(
        _ arguments: [String], environment: [String] = [], timeout: Duration, maxOutput: Int = 65536,
        cancel: CancelSignal? = nil, grace: Duration = .seconds(5)
    ) async throws(SystemError) -> ChildProcess.Outcome {
        guard let program = arguments.first else { throw SystemError("run", code: EINVAL) }
        let options = { var options = PlatformOptions(); options.processGroupID = 0; return options }()
        let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
        let group = ProcessGroup()
        do {
            return try await withThrowingTaskGroup(of: Finished.self) { tasks in
                tasks.addTask {
                    let result = try await Subprocess.run(
                        executable, arguments: Arguments(Array(arguments.dropFirst())),
                        environment: .inherit.updating(variables(environment)), platformOptions: options,
                        input: .none, output: .sequence, error: .combinedWithOutput
                    ) { execution in
                        group.started(execution.processIdentifier.value)
                        return try await collect(execution.standardOutput, limit: maxOutput)
                    }
                    return .exited(result.terminationStatus, output: result.closureResult)
                }
                tasks.addTask {
                    await group.watch(deadline: .now + timeout, cancel: cancel, grace: grace)
                    return .watchEnded
                }
                while let finished = try await tasks.next() {
                    guard case .exited(let status, let output) = finished else { continue }
                    tasks.cancelAll()
                    let (timedOut, cancelled) = group.ending()
                    return ChildProcess.Outcome(
                        status: status.exitStatus, timedOut: timedOut, output: String(decoding: output, as: UTF8.self),
                        cancelled: cancelled)
                }
                throw SystemError("run \(program)", code: ECHILD)
            }
        } catch let error as SubprocessError {
            throw SystemError("run \(program)", code: error.errnoCode)
        } catch let error as SystemError {
            throw error
        } catch {
            throw SystemError("run \(program)", code: ECANCELED)
        }
    }

    private enum Finished: Sendable {
        case exited(TerminationStatus, output: [UInt8])
        case watchEnded
    }

    /// `NAME=value` entries as Subprocess's environment update.
    private static func variables(_ entries: [String]) -> [Environment.Key: String?] {
        var update: [Environment.Key: String?] = [:]
        for entry in entries {
            let name = entry.prefix { $0 != "=" }
            guard let key = Environment.Key(rawValue: String(name)) else { continue }
            update[key] = String(entry.dropFirst(name.count + 1))
        }
        return update
    }

    /// Reads the whole stream, keeping the first `limit` bytes.
    private static func collect(_ stream: SubprocessOutputSequence, limit: Int) async throws -> [UInt8] {
        var kept: [UInt8] = []
        for try await buffer in stream where kept.count < limit {
            buffer.withUnsafeBytes { kept += $0.prefix(limit - kept.count) }
        }
        return kept
    }
}

/// The running command's process group, and how the watchdog ended it.
private final class ProcessGroup: Sendable {
    private struct State {
        var pid: pid_t?
        var timedOut = false
        var cancelled = false
        var exited = false
        /// A signal asked for before the spawn reported the pid: sent as soon as it does.
        var pending: Int32?
    }
    private let state = Mutex(State())

    func started(_ pid: pid_t) {
        state.withLock {
            $0.pid = pid
            if let pending = $0.pending { kill(-pid, pending) }
        }
    }

    /// Marks the process gone (no more signals) and says why it ended.
    func ending() -> (timedOut: Bool, cancelled: Bool) {
        state.withLock {
            $0.exited = true
            return ($0.timedOut, $0.cancelled)
        }
    }

    /// Every 50 ms until its task is cancelled: past the deadline the group gets SIGKILL; once
    /// `cancel` is raised it gets SIGTERM, and SIGKILL after `grace`.
    func watch(deadline: ContinuousClock.Instant, cancel: CancelSignal?, grace: Duration) async {
        var cancelledAt: ContinuousClock.Instant?
        while (try? await Task.sleep(for: .milliseconds(50))) != nil {
            let now = ContinuousClock.now
            if now >= deadline {
                signal(SIGKILL) { $0.timedOut = true }
            } else if cancelledAt == nil, cancel?.isCancelled == true {
                cancelledAt = now
                signal(SIGTERM) { $0.cancelled = true }
            } else if let cancelledAt, now - cancelledAt >= grace {
                signal(SIGKILL) { _ in }
            }
        }
    }

    private func signal(_ number: Int32, marking: (inout State) -> Void) {
        state.withLock {
            guard !$0.exited else { return }
            marking(&$0)
            if let pid = $0.pid { kill(-pid, number) } else { $0.pending = number }
        }
    }
}

extension TerminationStatus {
    /// The exit status, or 128 + signal when it was killed, as a shell reports it.
    var exitStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}

extension SubprocessError {
    /// The errno behind the failure (ENOENT for a program not found), or EIO.
    var errnoCode: Int32 {
        if code == .executableNotFound { return ENOENT }
        return underlyingError?.rawValue ?? EIO
    }
}
