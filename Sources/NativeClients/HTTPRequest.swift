

/// One HTTP request as a health check (GET) or a verification or webhook (POST) makes it.
public struct HTTPRequest: Sendable {
    /// The URL; its host gives the Host header and SNI.
    public var url: String
    /// The address really connected to (IP literal), so the URL's name is never resolved.
    public var connectAddress: String?
    /// The port connected to.
    public var connectPort: UInt16?
    /// The whole transfer's limit.
    public var timeout: Duration
    /// The time allowed to connect, when less than `timeout` (a retry after a lost SYN).
    public var connectTimeout: Duration?
    /// Extra request headers, `Name: value`.
    public var headers: [String]
    /// Bytes of body kept; the transfer stops once this much has arrived.
    public var maxBodyBytes: Int
    /// CA bundle for verification; nil uses the system's.
    public var caFile: String?
    /// Verify the peer certificate and host name (default true).
    public var verifyTLS: Bool
    /// The User-Agent header.
    public var userAgent: String
    /// A client certificate and its key (PEM files) for servers that ask for one (etcd's TLS).
    public var clientCertificate: (certFile: String, keyFile: String)?
    /// The local address the request leaves from (`[cluster] source_address`); nil: the kernel's choice.
    public var sourceAddress: String?
    /// A body to POST (form or JSON text, with a matching Content-Type in `headers`); nil: GET.
    public var postBody: String?

    /// Creates a request with Lifeboat's defaults.
    public init(
        url: String, connectAddress: String? = nil, connectPort: UInt16? = nil, timeout: Duration = .seconds(5),
        headers: [String] = [], maxBodyBytes: Int = 65536, caFile: String? = nil, verifyTLS: Bool = true,
        userAgent: String = "Lifeboat", postBody: String? = nil, sourceAddress: String? = nil
    ) {
        self.sourceAddress = sourceAddress
        self.postBody = postBody
        self.url = url
        self.connectAddress = connectAddress
        self.connectPort = connectPort
        self.timeout = timeout
        self.headers = headers
        self.maxBodyBytes = maxBodyBytes
        self.caFile = caFile
        self.verifyTLS = verifyTLS
        self.userAgent = userAgent
    }
}
