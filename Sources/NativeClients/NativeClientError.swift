#if canImport(Glibc)
import Glibc
#endif

/// A failure of a C client library call, classified, with the library's own message kept.
public struct NativeClientError: Error, Sendable, CustomStringConvertible {
    /// A bounded classification of the failure, usable as a reason or metric label.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String {
            case refused, timeout, tls, resolve, connection, protocolError = "protocol", auth, query, usage, local, other
        }
        private let code: Code

        /// Nothing listened at the address.
        public static let refused = Kind(code: .refused)
        /// Connecting, reading or writing took longer than allowed.
        public static let timeout = Kind(code: .timeout)
        /// TLS handshake or certificate verification failed.
        public static let tls = Kind(code: .tls)
        /// A name could not be resolved.
        public static let resolve = Kind(code: .resolve)
        /// The connection broke or could not be made for another reason.
        public static let connection = Kind(code: .connection)
        /// The server answered with something the library could not understand.
        public static let protocolError = Kind(code: .protocolError)
        /// The server refused the credentials.
        public static let auth = Kind(code: .auth)
        /// A statement failed.
        public static let query = Kind(code: .query)
        /// The library refused how it was called (a bug or bad input).
        public static let usage = Kind(code: .usage)
        /// This host could not make the call: out of file descriptors (EMFILE, ENFILE), memory
        /// (ENOMEM, ENOBUFS) or disk (ENOSPC). Says nothing about the server.
        public static let local = Kind(code: .local)
        /// Anything else.
        public static let other = Kind(code: .other)

        /// The short name: `refused`, `timeout`, `tls`, …
        public var description: String { code.rawValue }
    }

    /// The classification.
    public let kind: Kind
    /// `curl` or `mariadb`.
    public let library: String
    /// The C library's error code.
    public let code: Int
    /// The C library's message.
    public let message: String
    /// Whether the connection had been made when it failed (nil: not known).
    public var connected: Bool?

    /// Creates an error.
    public init(kind: Kind, library: String, code: Int, message: String) {
        self.kind = kind
        self.library = library
        self.code = code
        self.message = message
    }

    /// The errnos that mean this host, not the peer, is short of something.
    public static let localErrnos: Set<Int32> = [EMFILE, ENFILE, ENOMEM, ENOBUFS, ENOSPC]

    /// Whether this process can open a socket now; the local errno when it cannot (EMFILE, …).
    public static func localShortage() -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor < 0 else {
            close(descriptor)
            return nil
        }
        let failure = errno
        return localErrnos.contains(failure) ? failure : nil
    }

    /// `mariadb auth: Access denied for user ... (code 1045)`.
    public var description: String { "\(library) \(kind): \(message) (code \(code))" }
}
