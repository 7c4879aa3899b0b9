/// An address and a port: `"127.0.0.1:53"`, `"[::1]:53"`.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IP address.
    public var address: IPAddress
    /// The port, 1–65535 (0 only where a listener may pick one).
    public var port: UInt16

    /// Creates a socket address.
    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses `addr:port` or `[v6]:port`; with `defaultPort`, a bare address is accepted too.
    public init?(_ text: String, defaultPort: UInt16? = nil) {
        if let address = IPAddress(text), !text.hasPrefix("["), let defaultPort {
            self.init(address: address, port: defaultPort)
            return
        }
        let host: Substring
        let portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
            guard IPAddress(String(host))?.isIPv6 == true else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                guard let defaultPort, let address = IPAddress(text) else { return nil }
                self.init(address: address, port: defaultPort)
                return
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard IPAddress(String(host))?.isIPv6 == false else { return nil }
        }
        guard let address = IPAddress(String(host)) else { return nil }
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy(\.isASCII), let port = UInt16(portText), port > 0 else {
                return nil
            }
            self.init(address: address, port: port)
        } else {
            guard let defaultPort else { return nil }
            self.init(address: address, port: defaultPort)
        }
    }

    /// `"192.0.2.1:53"` or `"[2001:db8::1]:53"`.
    public var description: String {
        address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
