import DomainNames
extension Conversion where T == SocketAddress {
    /// `"addr:port"` or `"[v6]:port"`; with `defaultPort` a bare address is accepted too.
    static func socketAddress(defaultPort: UInt16? = nil) -> Conversion<SocketAddress> {
        Conversion { value in
            guard case .string(let text) = value, let address = SocketAddress(text, defaultPort: defaultPort) else {
                let form = defaultPort == nil
                    ? "an address with a port, e.g. \"192.0.2.1:53\" or \"[2001:db8::1]:53\""
                    : "an address, optionally with a port, e.g. \"192.0.2.1\" or \"[2001:db8::1]:53\""
                return failure(form, got: value)
            }
            return .success(address)
        }
    }
}

extension Conversion where T == IPAddress {
    /// An IPv4 or IPv6 address without a port.
    static let ipAddress = Conversion { value in
        guard case .string(let text) = value, let address = IPAddress(text) else {
            return failure("an IP address, e.g. \"203.0.113.10\" or \"2001:db8::10\"", got: value)
        }
        return .success(address)
    }
}

extension Conversion where T == IPNetwork {
    /// A CIDR network or a single address.
    static let network = Conversion { value in
        guard case .string(let text) = value else {
            return failure("an address or CIDR network, e.g. \"192.0.2.0/24\"", got: value)
        }
        switch IPNetwork.parse(text) {
        case .success(let network): return .success(network)
        case .failure(.hostBitsSet(let suggestion)):
            return Conversion.failure("\"\(text)\" has host bits set; did you mean \"\(suggestion)\"?")
        case .failure:
            return failure("an address or CIDR network, e.g. \"192.0.2.0/24\"", got: value)
        }
    }
}

extension Conversion where T == DNSName {
    /// A domain name, normalised to lower case with a trailing dot.
    static let domainName = Conversion<String>.string.map { text in
        DNSName.validated(text).mapError { ConversionFailure(message: $0.description) }
    }
}
