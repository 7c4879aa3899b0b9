

/// Time from the start of the request to the end of each phase (as libcurl reports them).
public struct HTTPTimings: Sendable, Equatable {
    /// TCP connected.
    public var connect: Duration
    /// TLS handshake done (zero for plain HTTP).
    public var tls: Duration
    /// First byte of the response.
    public var firstByte: Duration
    /// Transfer complete.
    public var total: Duration
}
