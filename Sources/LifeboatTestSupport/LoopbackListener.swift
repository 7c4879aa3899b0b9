#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket listening on 127.0.0.1 on a port of the kernel's choosing. Nothing accepts
/// unless a test calls `accept(descriptor, …)`: the kernel completes handshakes, then nothing
/// is said — a hung server, for timeout tests. Closed when released.
public final class LoopbackListener: @unchecked Sendable {  // the descriptor is used by one thread at a time
    /// The listening socket.
    public let descriptor: Int32
    /// Its port.
    public let port: UInt16

    /// Binds and listens; throws when the host cannot.
    public init(backlog: Int32 = 16) throws(TestSupportError) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, backlog) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw TestSupportError("bind/listen on 127.0.0.1: \(message)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    private var accepted: [Int32] = []

    deinit {
        for connection in accepted { close(connection) }
        close(descriptor)
    }

    /// Accepts every connection waiting now (without blocking) and keeps it open, silent, until
    /// the listener goes; returns how many were accepted so far. Not thread-safe.
    public func acceptPending() -> Int {
        while true {
            var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&poll, 1, 0) == 1 else { break }
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { break }
            accepted.append(connection)
        }
        return accepted.count
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then closed).
    public static func closedPort() throws(TestSupportError) -> UInt16 { try LoopbackListener().port }
}

/// A test helper could not do its job (a socket, a lab command): the test fails with this.
public struct TestSupportError: Error, CustomStringConvertible {
    /// What failed.
    public let description: String

    /// Creates the error.
    public init(_ description: String) { self.description = description }
}
