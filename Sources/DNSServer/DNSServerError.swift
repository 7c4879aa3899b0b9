#if canImport(Glibc)
import Glibc
#endif

/// Failures of the DNS server's own I/O.
public enum DNSServerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A system call failed: what was done and errno.
    case io(String, Int32)

    public var description: String {
        switch self {
        case .io(let what, let code): "\(what): \(String(cString: strerror(code)))"
        }
    }
}
