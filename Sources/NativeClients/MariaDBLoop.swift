import CMariaDB
import CGlibcShims
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Drives MariaDB Connector/C's non-blocking API (`mysql_real_connect_start`/`_cont`,
/// `mysql_real_query_start`/`_cont`, `mysql_store_result_start`/`_cont`) for any number of
/// connections from one thread with epoll: a call starts, says what it waits for (the socket
/// readable or writable, a timeout from `mysql_get_timeout_value_ms`), and continues only when
/// that happens. A blackholed server costs a timer, not a thread. Callers suspend meanwhile.
public final class MariaDBLoop: MySQLConnector, Sendable {
    private let epoll: Int32
    private let wakeup: Int32
    private let queue = Mutex(Queue())

    private struct Queue: ~Copyable {
        var submitted: [Operation] = []
        var stopping = false
    }

    /// Creates the loop and starts its thread.
    public init() throws(NativeClientError) {
        guard mariaDBLibraryInit == 0 else {
            throw NativeClientError(kind: .other, library: "mariadb", code: Int(mariaDBLibraryInit), message: "mysql_library_init failed")
        }
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeup = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard epoll >= 0, wakeup >= 0 else {
            let code = errno
            if epoll >= 0 { close(epoll) }
            if wakeup >= 0 { close(wakeup) }
            throw NativeClientError(kind: NativeClientError.localErrnos.contains(code) ? .local : .other, library: "mariadb",
                                    code: Int(code), message: "cannot create the MySQL event loop: \(String(cString: strerror(code)))")
        }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: UInt64.max))
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, nil, { raw in
            Unmanaged<MariaDBLoop>.fromOpaque(raw!).takeRetainedValue().drive()
            return nil
        }, box)
        guard created == 0 else {
            Unmanaged<MariaDBLoop>.fromOpaque(box).release()
            throw NativeClientError(kind: .other, library: "mariadb", code: Int(created), message: "cannot start the MySQL loop thread")
        }
        pthread_detach(thread)
    }

    /// Stops the thread once the operations under way are done.
    public func shutdown() {
        queue.withLock { $0.stopping = true }
        signal()
    }

    /// Opens a non-blocking connection.
    public func connect(_ options: MySQLConnectOptions) async throws(NativeClientError) -> any MySQLSession {
        let handle = try MariaDBHandle(options, nonBlocking: true)
        let started = ContinuousClock.now
        // The library keeps these pointers from the start call to the last continue call.
        let strings = CStrings([options.host, options.user, options.password, options.database, options.socket])
        let failure: NativeClientError? = await run(handle) { mysql, ready in
            var connected: UnsafeMutablePointer<MYSQL>?
            let status = ready < 0
                ? mysql_real_connect_start(&connected, mysql, strings[0], strings[1], strings[2], strings[3],
                                           UInt32(options.port), strings[4], 0)
                : mysql_real_connect_cont(&connected, mysql, ready)
            return (status, status == 0 && connected == nil
                ? MariaDBHandle.error(mysql, elapsed: ContinuousClock.now - started, limit: options.connectTimeout) : nil)
        }
        if let failure { throw failure }
        return MariaDBAsyncSession(handle: handle, loop: self)
    }

    /// Runs `step` on the loop until it reports done (status 0); `step` gets -1 to start, then the
    /// ready flags (`MYSQL_WAIT_*`), and returns the new wait status and, when done, any error.
    func run(_ handle: MariaDBHandle,
             _ step: @escaping (UnsafeMutablePointer<MYSQL>, Int32) -> (Int32, NativeClientError?)) async -> NativeClientError? {
        await withCheckedContinuation { continuation in
            let operation = Operation(handle: handle, step: step, continuation: continuation)
            let accepted = queue.withLock { queue -> Bool in
                guard !queue.stopping else { return false }
                queue.submitted.append(operation)
                return true
            }
            if accepted {
                signal()
            } else {
                continuation.resume(returning: NativeClientError(kind: .local, library: "mariadb", code: 0, message: "the MySQL loop is shut down"))
            }
        }
    }

    private func signal() {
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
    }

    /// One call in progress on the loop thread.
    final class Operation: @unchecked Sendable {
        let handle: MariaDBHandle
        let step: (UnsafeMutablePointer<MYSQL>, Int32) -> (Int32, NativeClientError?)
        let continuation: CheckedContinuation<NativeClientError?, Never>
        var socket: Int32 = -1
        var deadline: ContinuousClock.Instant?

        init(handle: MariaDBHandle, step: @escaping (UnsafeMutablePointer<MYSQL>, Int32) -> (Int32, NativeClientError?),
             continuation: CheckedContinuation<NativeClientError?, Never>) {
            self.handle = handle
            self.step = step
            self.continuation = continuation
        }
    }

    /// The loop: start what was submitted, wait for sockets and timers, continue what is ready.
    private func drive() {
        var active: [UInt64: Operation] = [:]
        var nextID: UInt64 = 0
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: 64)
        defer { events.deallocate() }
        while true {
            let (submitted, stopping) = queue.withLock { queue in
                defer { queue.submitted.removeAll() }
                return (queue.submitted, queue.stopping)
            }
            for operation in submitted {
                nextID &+= 1
                advance(operation, id: nextID, ready: -1, active: &active)
            }
            if stopping && active.isEmpty { break }
            let now = ContinuousClock.now
            let soonest = active.values.compactMap(\.deadline).min()
            let wait = soonest.map { max(0, Int32(clamping: ($0 - now).milliseconds + 1)) } ?? 1000
            let count = epoll_wait(epoll, events, 64, min(wait, 1000))
            for index in 0..<Int(max(count, 0)) {
                let id = events[index].data.u64
                if id == UInt64.max {
                    var value: UInt64 = 0
                    _ = read(wakeup, &value, 8)
                    continue
                }
                guard let operation = active[id] else { continue }
                let flags = events[index].events
                var ready: Int32 = 0
                if flags & EPOLLIN.rawValue != 0 { ready |= MYSQL_WAIT_READ }
                if flags & EPOLLOUT.rawValue != 0 { ready |= MYSQL_WAIT_WRITE }
                if flags & EPOLLPRI.rawValue != 0 { ready |= MYSQL_WAIT_EXCEPT }
                if flags & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { ready |= MYSQL_WAIT_READ | MYSQL_WAIT_WRITE }
                advance(operation, id: id, ready: ready, active: &active)
            }
            let after = ContinuousClock.now
            for (id, operation) in active where operation.deadline.map({ $0 <= after }) ?? false {
                advance(operation, id: id, ready: MYSQL_WAIT_TIMEOUT, active: &active)
            }
        }
        close(wakeup)
        close(epoll)
    }

    /// One step of `operation`; then it waits again (registered for what it waits for) or is done.
    private func advance(_ operation: Operation, id: UInt64, ready: Int32, active: inout [UInt64: Operation]) {
        let (status, error) = operation.step(operation.handle.mysql, ready)
        let socket = status == 0 ? -1 : Int32(mysql_get_socket(operation.handle.mysql))
        if operation.socket >= 0 && operation.socket != socket {
            epoll_ctl(epoll, EPOLL_CTL_DEL, operation.socket, nil)  // done, or the library moved to another socket
        }
        guard status != 0 else {
            active[id] = nil
            operation.continuation.resume(returning: error)
            return
        }
        var interest: UInt32 = 0
        if status & MYSQL_WAIT_READ != 0 { interest |= EPOLLIN.rawValue }
        if status & MYSQL_WAIT_WRITE != 0 { interest |= EPOLLOUT.rawValue }
        if status & MYSQL_WAIT_EXCEPT != 0 { interest |= EPOLLPRI.rawValue }
        operation.deadline = status & MYSQL_WAIT_TIMEOUT != 0
            ? ContinuousClock.now + .milliseconds(Int(mysql_get_timeout_value_ms(operation.handle.mysql))) : nil
        if socket >= 0 && interest != 0 {
            var event = epoll_event(events: interest, data: epoll_data_t(u64: id))
            if epoll_ctl(epoll, operation.socket == socket ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, socket, &event) != 0 {
                epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event)
            }
        } else if socket >= 0 && operation.socket == socket {
            epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
        }
        operation.socket = interest != 0 ? socket : -1
        active[id] = operation
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    fileprivate var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
