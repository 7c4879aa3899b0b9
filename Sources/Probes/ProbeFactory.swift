public import LifeboatConfig
public import NativeClients
public import NIOCore
public import NIOPosix

/// Builds the probe for each configured check, sharing the curl multi handle, the MySQL thread
/// pool and the event loops.
public struct ProbeFactory: Sendable {
    public let curl: CurlMulti
    public let pool: NIOThreadPool
    public let group: any EventLoopGroup

    /// Creates a factory over shared resources (owned and shut down by the caller).
    public init(curl: CurlMulti, pool: NIOThreadPool, group: any EventLoopGroup) {
        self.curl = curl
        self.pool = pool
        self.group = group
    }

    /// The probe for `check`; `maxLag` is the service's (nil for witnesses).
    public func probe(for check: CheckSettings, maxLag: Duration?) -> any Probe {
        switch check.kind {
        case .http(let http):
            return HTTPProbe(name: check.name, settings: http, timeout: check.timeout, curl: curl)
        case .mysql(let mysql):
            return MySQLProbe(name: check.name, settings: mysql, timeout: check.timeout, maxLag: maxLag, pool: pool)
        case .tcp(let tcp):
            return TCPProbe(name: check.name, target: tcp.connectTo, timeout: check.timeout, group: group)
        }
    }
}
