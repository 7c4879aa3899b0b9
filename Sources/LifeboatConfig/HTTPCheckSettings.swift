

/// `type = "http"`.
public struct HTTPCheckSettings: Sendable, Equatable {
    /// `url`: `http://` or `https://`; its host gives Host and SNI. Required.
    public var url: String
    /// `connect_to`: the address really connected to, never resolved through DNS.
    /// Required unless the URL's host is an IP address; the port defaults to the URL's.
    public var connectTo: SocketAddress
    /// `expect_status`: accepted codes. Default `[]`, meaning 200–399 (redirects not followed).
    public var expectStatus: [Int]
    /// `expect_body`: a substring the first 64 KiB must contain. Default none.
    public var expectBody: String?
    /// `expect_body_regex`: a regular expression the first 64 KiB must match. Default none.
    public var expectBodyRegex: String?
    /// `ca_file`: CA bundle for TLS verification. Default: the system's.
    public var caFile: String?
    /// `insecure`: skip TLS verification. Default false.
    public var insecure: Bool

    /// Creates the settings.
    public init(url: String, connectTo: SocketAddress, expectStatus: [Int], expectBody: String?, expectBodyRegex: String?,
                caFile: String?, insecure: Bool) {
        self.url = url
        self.connectTo = connectTo
        self.expectStatus = expectStatus
        self.expectBody = expectBody
        self.expectBodyRegex = expectBodyRegex
        self.caFile = caFile
        self.insecure = insecure
    }
}
