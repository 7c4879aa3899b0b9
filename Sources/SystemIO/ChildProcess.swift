#if canImport(Glibc)
public import Glibc
#endif

/// Runs a program (never through a shell) and collects its exit status and output. Blocking:
/// call it from a thread pool. The child starts with default signal handling and an empty signal
/// mask, stdin from /dev/null, in its own process group, which is killed when `timeout` passes.
public enum ChildProcess {
    /// How a run ended.
    public struct Outcome: Sendable, Equatable {
        /// The exit status, or 128 + signal when it was killed.
        public var status: Int32
        /// Whether the timeout killed it.
        public var timedOut: Bool
        /// Standard output and error together, the first `maxOutput` bytes.
        public var output: String
        /// Whether a `CancelSignal` ended it.
        public var cancelled = false
        /// Whether it exited with status 0.
        public var succeeded: Bool { status == 0 && !timedOut && !cancelled }
    }

    /// Runs `arguments[0]` (a path, or a name looked up in PATH) with the rest as its arguments.
    /// `environment` entries (`NAME=value`) are added to Lifeboat's own environment.
    public static func run(
        _ arguments: [String], environment: [String] = [], timeout: Duration, maxOutput: Int = 65536,
        cancel: CancelSignal? = nil, grace: Duration = .seconds(5)
    ) throws(SystemError) -> Outcome {
        guard let program = arguments.first else { throw SystemError("run", code: EINVAL) }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw .last("pipe") }
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        defer { close(pipeEnds[0]) }

        let spawned = spawn(arguments, environment: environment, newProcessGroup: true) { actions in
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        }
        close(pipeEnds[1])
        guard case .success(let pid) = spawned else { throw SystemError("run \(program)", code: spawned.errorCode) }

        let deadline = ContinuousClock.now + timeout
        var output: [UInt8] = []
        var timedOut = false
        var cancelledAt: ContinuousClock.Instant?
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline - ContinuousClock.now
            if left <= .zero {
                timedOut = true
                kill(-pid, SIGKILL)
                break
            }
            if cancelledAt == nil, cancel?.isCancelled == true {
                // Asked to stop: the whole process group gets SIGTERM, then SIGKILL after the grace.
                cancelledAt = .now
                kill(-pid, SIGTERM)
            } else if let cancelledAt, ContinuousClock.now - cancelledAt >= grace {
                kill(-pid, SIGKILL)
                break
            }
            var descriptor = pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(left.components.seconds * 1000 + 1, 100)))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if output.count < maxOutput { output += buffer[0..<min(count, maxOutput - output.count)] }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exit, timedOut: timedOut, output: String(decoding: output, as: UTF8.self), cancelled: cancelledAt != nil)
    }

    /// Starts `arguments` in the background with stdout and stderr appended to `outputPath`;
    /// returns its pid (the caller reaps it with `waitpid`). For daemons under test.
    public static func start(_ arguments: [String], environment: [String] = [], outputPath: String) throws(SystemError) -> pid_t {
        let spawned = spawn(arguments, environment: environment, newProcessGroup: false) { actions in
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        guard case .success(let pid) = spawned else { throw SystemError("start \(arguments.first ?? "")", code: spawned.errorCode) }
        return pid
    }

    /// posix_spawnp with stdin from /dev/null, default signal handling, an empty signal mask and
    /// `environment` (`NAME=value`, the last of a name winning) replacing or adding to Lifeboat's own.
    private static func spawn(
        _ arguments: [String], environment: [String], newProcessGroup: Bool,
        output: (inout posix_spawn_file_actions_t) -> Void
    ) -> SpawnResult {
        guard let program = arguments.first else { return .failure(EINVAL) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        output(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var inherited: [String] = []
        var index = 0
        while let entry = environ[index] {
            inherited.append(String(cString: entry))
            index += 1
        }
        // A name given twice takes its last value, like a shell assignment.
        var given: [String] = []
        var names = Set<Substring>()
        for entry in environment.reversed() where names.insert(entry.prefix { $0 != "=" }).inserted { given.insert(entry, at: 0) }
        let childEnvironment = inherited.filter { !names.contains($0.prefix { $0 != "=" }) } + given

        var pid: pid_t = 0
        let code = withCStrings(arguments) { argv in
            withCStrings(childEnvironment) { envp in
                posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
            }
        }
        return code == 0 ? .success(pid) : .failure(code)
    }

    private enum SpawnResult {
        case success(pid_t)
        case failure(Int32)

        var errorCode: Int32 { if case .failure(let code) = self { code } else { 0 } }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
