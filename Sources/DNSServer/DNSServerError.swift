#if canImport(Glibc)
import Glibc
#endif

/// Failures of the DNS server's own I/O and state.
public enum DNSServerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A system call failed: what was done and errno.
    case io(String, Int32)
    /// A state file in `state_dir` cannot be read: the file and line.
    case damagedState(path: String, line: Int)
    /// An owner that no served zone contains.
    case ownerNotServed(String)

    public var description: String {
        switch self {
        case .io(let what, let code): "\(what): \(String(cString: strerror(code)))"
        case .damagedState(let path, let line): "\(path):\(line): damaged zone state (move it away to start from the zone file)"
        case .ownerNotServed(let owner): "\(owner) is in no served zone"
        }
    }
}
