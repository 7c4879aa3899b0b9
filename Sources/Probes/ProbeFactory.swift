public import LifeboatConfig
public import NativeClients
public import NIOCore

/// Builds the probe for each configured check, sharing the curl multi handle, the MySQL
/// connector (the non-blocking loop) and the event loops.
public struct ProbeFactory: Sendable {
    public let curl: CurlMulti
    public let mysql: any MySQLConnector
    public let group: any EventLoopGroup
    /// The local address every probe leaves from (`[cluster] source_address`); nil: the kernel's choice.
    public let sourceAddress: String?

    /// Creates a factory over shared resources (owned and shut down by the caller).
    public init(curl: CurlMulti, mysql: any MySQLConnector, group: any EventLoopGroup, sourceAddress: String? = nil) {
        self.sourceAddress = sourceAddress
        self.curl = curl
        self.mysql = mysql
        self.group = group
    }

    /// The probe for `check`; `maxLag` is the service's (nil for witnesses).
    public func probe(for check: CheckSettings, maxLag: Duration?) -> any Probe {
        switch check.kind {
        case .http(let http):
            return HTTPProbe(name: check.name, settings: http, timeout: check.timeout, curl: curl, sourceAddress: sourceAddress)
        case .mysql(let settings):
            return MySQLProbe(name: check.name, settings: settings, timeout: check.timeout, maxLag: maxLag, connector: mysql, sourceAddress: sourceAddress)
        case .tcp(let tcp):
            return TCPProbe(name: check.name, target: tcp.connectTo, timeout: check.timeout, group: group, sourceAddress: sourceAddress)
        }
    }
}
