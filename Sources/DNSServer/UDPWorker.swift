import CGlibcShims
import DNSQuery
import LifeboatConfig
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One thread answering UDP on a socket of its own (SO_REUSEPORT: the kernel spreads the
/// clients over the workers), as NSD, Knot and gdnsd do: datagrams are read in batches with
/// `recvmmsg` into buffers allocated once, each answer is written in place from the current
/// snapshot, and the batch goes out with one `sendmmsg`. The snapshot is taken once per batch.
final class UDPWorker: @unchecked Sendable {
    /// Datagrams per system call, the room each query gets, the room each answer gets.
    static let batch = 32
    static let queryRoom = 2048
    static let answerRoom = 2048

    let socket: Int32
    private let store: SnapshotStore
    private let name: String
    private let stopping = Atomic<Bool>(false)
    /// The counts as of the last batch: published once per batch (a lock per batch, not per query).
    private let published = Mutex(QueryCounts())
    private let keys: [TSIGKey]
    private let events: DNSEventCounter?
    private let rateLimit: RRLSettings
    private let publishedLimited = Mutex<(dropped: UInt64, slipped: UInt64)>((0, 0))
    private var thread: pthread_t = 0
    private var started = false

    /// Opens and binds the socket; the thread starts with `start()`.
    init(address: IPAddress, port: UInt16, store: SnapshotStore, name: String, keys: [TSIGKey] = [], events: DNSEventCounter? = nil,
         rateLimit: RRLSettings = RRLSettings(responsesPerSecond: 0)) throws {
        socket = try Self.bind(address, port)
        self.store = store
        self.name = name
        self.keys = keys
        self.events = events
        self.rateLimit = rateLimit
    }

    /// Answers the rate limiter dropped and slipped so far (published once per batch).
    var limitedCounts: (dropped: UInt64, slipped: UInt64) { publishedLimited.withLock { $0 } }

    /// The receive buffer each socket asks for: room for a burst that arrives while the thread is
    /// not reading (a host starved of CPU queued 256 queries in the 212,992-byte default and dropped
    /// the rest). NSD asks the same (its so-rcvbuf, 1 MiB); the kernel doubles it for its bookkeeping.
    static let askedReceiveBuffer: Int32 = 1 << 20

    /// The socket's receive buffer as the kernel reports it (what it granted, doubled).
    var receiveBufferBytes: Int {
        var size: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, &length) == 0 ? Int(size) : 0
    }

    /// The port the socket is bound to.
    var port: UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return withUnsafeBytes(of: &storage) { UInt16($0[2]) << 8 | UInt16($0[3]) }  // sin_port / sin6_port
    }

    /// What this worker answered, as of its last batch.
    var counts: QueryCounts { published.withLock { $0 } }

    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { raw in
            let worker = Unmanaged<UDPWorker>.fromOpaque(raw!).takeRetainedValue()
            worker.run()
            return nil
        }, context)
        if status == 0 {
            started = true
        } else {
            Unmanaged<UDPWorker>.fromOpaque(context).release()
        }
    }

    /// Stops the thread (shutting the socket down wakes its read), waits for it, closes the socket.
    func stop() {
        stopping.store(true, ordering: .releasing)
        _ = shutdown(socket, Int32(SHUT_RD))
        if started { pthread_join(thread, nil) }
        started = false
        close(socket)
    }

    private func run() {
        _ = pthread_setname_np(pthread_self(), name)
        let batch = Self.batch
        let queries = UnsafeMutableRawPointer.allocate(byteCount: batch * Self.queryRoom, alignment: 16)
        let answers = UnsafeMutableRawPointer.allocate(byteCount: batch * Self.answerRoom, alignment: 16)
        let peers = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: batch)
        let inVectors = UnsafeMutablePointer<iovec>.allocate(capacity: batch)
        let outVectors = UnsafeMutablePointer<iovec>.allocate(capacity: batch)
        let inMessages = UnsafeMutablePointer<lifeboat_mmsghdr>.allocate(capacity: batch)
        let outMessages = UnsafeMutablePointer<lifeboat_mmsghdr>.allocate(capacity: batch)
        defer {
            queries.deallocate(); answers.deallocate(); peers.deallocate()
            inVectors.deallocate(); outVectors.deallocate(); inMessages.deallocate(); outMessages.deallocate()
        }
        for index in 0..<batch {
            inVectors[index] = iovec(iov_base: queries + index * Self.queryRoom, iov_len: Self.queryRoom)
            inMessages[index] = lifeboat_mmsghdr()
            inMessages[index].msg_hdr.msg_name = UnsafeMutableRawPointer(peers + index)
            inMessages[index].msg_hdr.msg_iov = inVectors + index
            inMessages[index].msg_hdr.msg_iovlen = 1
            outMessages[index] = lifeboat_mmsghdr()
            outMessages[index].msg_hdr.msg_iov = outVectors + index
            outMessages[index].msg_hdr.msg_iovlen = 1
        }
        var scratch: [UInt8] = []
        scratch.reserveCapacity(Self.answerRoom)
        var counts = QueryCounts()
        var limiter = ResponseRateLimiter(rateLimit)
        var limitedCounts: (dropped: UInt64, slipped: UInt64) = (0, 0)
        while !stopping.load(ordering: .acquiring) {
            for index in 0..<batch {
                inMessages[index].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                inMessages[index].msg_hdr.msg_flags = 0
            }
            let received = Int(lifeboat_recvmmsg(socket, inMessages, UInt32(batch), Int32(MSG_WAITFORONE), nil))
            guard received > 0 else { continue }  // the read timeout, EINTR, or the shutdown of `stop()`
            var replies = 0
            let reader = SnapshotReader(store.current, keys: keys, events: events)
            let now = limiter.enabled ? UInt32(truncatingIfNeeded: time(nil)) : 0
            for index in 0..<received {
                let packet = UnsafeRawBufferPointer(start: queries + index * Self.queryRoom, count: Int(inMessages[index].msg_len))
                let answer = answers + replies * Self.answerRoom
                guard var length = reader.answerUDP(packet, into: answer, room: Self.answerRoom, scratch: &scratch) else {
                    counts.recordDropped()
                    continue
                }
                if limiter.enabled {
                    let verdict = limiter.verdict(for: UnsafeRawPointer(peers + index), now: now)
                    let short = verdict == .slip ? ResponseRateLimiter.slipped(answer, length: length) : nil
                    if let short {
                        length = short
                        limitedCounts.slipped += 1
                    } else if verdict != .send {
                        limitedCounts.dropped += 1
                        counts.recordDropped()
                        continue
                    }
                }
                counts.record(rcode: answer.load(fromByteOffset: 3, as: UInt8.self))
                outVectors[replies] = iovec(iov_base: answer, iov_len: length)
                outMessages[replies].msg_hdr.msg_name = UnsafeMutableRawPointer(peers + index)
                outMessages[replies].msg_hdr.msg_namelen = inMessages[index].msg_hdr.msg_namelen
                replies += 1
            }
            // Before sending, so a client holding its answer sees it counted. Element by element:
            // assigning the array would share its buffer and copy it at the next count.
            published.withLock { shown in
                for code in counts.counts.indices { shown.counts[code] = counts.counts[code] }
            }
            if limiter.enabled { publishedLimited.withLock { $0 = limitedCounts } }
            var sent = 0
            while sent < replies {
                let result = Int(lifeboat_sendmmsg(socket, outMessages + sent, UInt32(replies - sent), 0))
                // A datagram the kernel refuses (an unreachable client) concerns that client only: skip it.
                sent += result > 0 ? result : 1
            }
        }
    }

    /// A UDP socket bound to `address`:`port` with SO_REUSEPORT, the receive buffer asked, and a
    /// read timeout so the thread notices a stop even if the shutdown's wake-up were lost.
    private static func bind(_ address: IPAddress, _ port: UInt16) throws -> Int32 {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let socket = Glibc.socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var one: Int32 = 1
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        _ = setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(socket, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // Past net.core.rmem_max when the process may (CAP_NET_ADMIN); else as much as it allows.
        var buffer = askedReceiveBuffer
        if setsockopt(socket, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        }
        var storage = sockaddr_storage()
        let length: Int
        if address.isIPv6 {
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &v6.sin6_addr) { $0.copyBytes(from: address.bytes) }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: v6) { raw.copyMemory(from: $0) } }
            length = MemoryLayout<sockaddr_in6>.size
        } else {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &v4.sin_addr) { $0.copyBytes(from: address.bytes) }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: v4) { raw.copyMemory(from: $0) } }
            length = MemoryLayout<sockaddr_in>.size
        }
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socket, $0, socklen_t(length)) }
        }
        guard status == 0 else {
            let code = errno
            close(socket)
            throw IOError(errnoCode: code, reason: "bind")
        }
        return socket
    }
}
