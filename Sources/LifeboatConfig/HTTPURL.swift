/// The parts of an `http://` or `https://` URL a check needs: scheme, host and port.
public struct HTTPURL: Sendable, Equatable {
    /// `http` or `https`.
    public let scheme: String
    /// The host as written (no brackets for IPv6), used for Host and SNI.
    public let host: String
    /// The explicit port, or 80/443 from the scheme.
    public let port: UInt16

    /// Parses `text`; the failure says what is wrong.
    public static func parse(_ text: String) -> Result<HTTPURL, ConversionFailure> {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("http://") { scheme = "http" } else if lower.hasPrefix("https://") { scheme = "https" } else {
            return .failure(ConversionFailure(message: "expected an http:// or https:// URL, got \"\(text)\""))
        }
        let afterScheme = text.dropFirst(scheme.count + 3)
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") {
            return .failure(ConversionFailure(message: "credentials in the URL are not allowed (they would be logged); secrets come from files"))
        }
        var host = Substring(authority)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return .failure(Self.badHost(text)) }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if rest.hasPrefix(":") { portText = rest.dropFirst() } else if !rest.isEmpty { return .failure(Self.badHost(text)) }
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " }) else { return .failure(Self.badHost(text)) }
        var port: UInt16 = scheme == "https" ? 443 : 80
        if let portText {
            guard let value = UInt16(portText), value > 0 else {
                return .failure(ConversionFailure(message: "expected a port from 1 to 65535 in the URL, got \"\(text)\""))
            }
            port = value
        }
        return .success(HTTPURL(scheme: scheme, host: String(host), port: port))
    }

    private static func badHost(_ text: String) -> ConversionFailure {
        ConversionFailure(message: "expected a URL with a host, got \"\(text)\"")
    }
}
