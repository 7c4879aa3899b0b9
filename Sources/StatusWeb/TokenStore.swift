import Synchronization

/// The control token, replaceable on SIGHUP (a new `http.token_file` content takes effect at once).
public final class TokenStore: Sendable {
    private let token: Mutex<BearerToken>

    /// Holds `secret`.
    public init(_ secret: String) {
        token = Mutex(BearerToken(secret))
    }

    /// Replaces the token.
    public func replace(with secret: String) {
        token.withLock { $0 = BearerToken(secret) }
    }

    /// Whether an `Authorization` header value carries the token (constant-time comparison).
    func accepts(authorization header: String) -> Bool {
        token.withLock { $0.accepts(authorization: header) }
    }
}
