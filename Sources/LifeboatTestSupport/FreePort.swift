#if canImport(Glibc)
import Glibc
#endif

/// Ports for servers a test starts.
public enum FreePort {
    /// A port free for both TCP and UDP on 127.0.0.1 now, below the ephemeral range (32768+) so
    /// that no outgoing connection of the tests can take it in the meantime.
    public static func tcpAndUDP() -> Int {
        while true {
            let port = Int.random(in: 20000..<32000)
            if canBind(port, type: Int32(SOCK_STREAM.rawValue)) && canBind(port, type: Int32(SOCK_DGRAM.rawValue)) { return port }
        }
    }

    private static func canBind(_ port: Int, type: Int32) -> Bool {
        let descriptor = socket(AF_INET, type, 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
