#if canImport(Glibc)
import Glibc
#endif

/// The sd_notify protocol without libsystemd: datagrams to `$NOTIFY_SOCKET` (a path, or an
/// abstract socket written `@name`). Without the variable every call does nothing.
struct SystemdNotifier: Sendable {
    private let socketPath: String?
    /// Half of `$WATCHDOG_USEC` when the watchdog is on for this process: how often to ping.
    let watchdogInterval: Duration?

    init(environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) {
        socketPath = environment("NOTIFY_SOCKET").flatMap { $0.isEmpty ? nil : $0 }
        let pidMatches = environment("WATCHDOG_PID").map { Int32($0) == getpid() } ?? true
        if pidMatches, let micros = environment("WATCHDOG_USEC").flatMap({ Int64($0) }), micros > 0 {
            watchdogInterval = .microseconds(micros / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// Whether systemd (or a test) listens.
    var isActive: Bool { socketPath != nil }

    /// Sends `state`, e.g. `READY=1` or `STATUS=…`; newline-separated assignments are allowed.
    func send(_ state: String) {
        guard let socketPath else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        let abstract = path.first == UInt8(ascii: "@")
        if abstract { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.enumerated() { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (abstract ? 0 : 1))
        let bytes = Array(state.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
    }
}
