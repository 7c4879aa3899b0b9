

/// What came back.
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Up to `maxBodyBytes` of the body.
    public var body: [UInt8]
    /// Whether the body went on past `maxBodyBytes`.
    public var bodyTruncated: Bool
    /// Time from start to each phase's end.
    public var timings: HTTPTimings
    /// For HTTPS, when the server's certificate expires (seconds since 1970).
    public var certificateExpiry: Int?
}
