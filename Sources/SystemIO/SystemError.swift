#if canImport(Glibc)
import Glibc
#endif

/// A failed system call on a file or process: what was being done, and errno.
public struct SystemError: Error, Sendable, CustomStringConvertible, Equatable {
    /// `open /var/lib/lifeboat/x.tmp`, `run apachectl`, …
    public let operation: String
    /// errno.
    public let code: Int32

    /// Creates the error for `operation` that failed with `code`.
    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// The error for `operation`, with the errno set now.
    static func last(_ operation: String) -> SystemError { SystemError(operation, code: errno) }

    /// `open /x.tmp: No space left on device`.
    public var message: String { "\(operation): \(String(cString: strerror(code)))" }
    public var description: String { message }

    /// Whether this host ran short (descriptors, memory, disk), rather than the thing asked for
    /// being wrong.
    public var isLocalShortage: Bool { Self.shortageErrnos.contains(code) }

    /// The errnos that mean this host, not a peer, is short of something: EMFILE, ENFILE, ENOMEM,
    /// ENOBUFS, ENOSPC.
    public static let shortageErrnos: Set<Int32> = [EMFILE, ENFILE, ENOMEM, ENOBUFS, ENOSPC]
}
