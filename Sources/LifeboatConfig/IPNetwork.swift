/// An address range in CIDR notation: `"192.0.2.0/24"`, `"2001:db8::/32"`; a bare address is a host.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let network: IPAddress
    /// The prefix length in bits.
    public let prefixLength: Int

    /// Why a CIDR text was refused.
    public enum ParseFailure: Error, Equatable {
        case notAnAddress
        case badPrefix
        case hostBitsSet(suggestion: String)
    }

    /// Parses CIDR text, refusing host bits so `192.0.2.5/24` is not silently widened.
    public static func parse(_ text: String) -> Result<IPNetwork, ParseFailure> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return .failure(.notAnAddress) }
        let maxBits = address.bytes.count * 8
        var prefix = maxBits
        if parts.count == 2 {
            guard let bits = Int(parts[1]), parts[1].allSatisfy(\.isASCII), (0...maxBits).contains(bits) else {
                return .failure(.badPrefix)
            }
            prefix = bits
        }
        let masked = Self.mask(address.bytes, prefix)
        guard masked == address.bytes else {
            let network = IPAddress(bytes: masked).map { "\($0)/\(prefix)" } ?? ""
            return .failure(.hostBitsSet(suggestion: network))
        }
        return .success(IPNetwork(network: address, prefixLength: prefix))
    }

    private init(network: IPAddress, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    /// Whether `address` lies in this network (families must match).
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && Self.mask(address.bytes, prefixLength) == network.bytes
    }

    private static func mask(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsHere = min(max(prefix - index * 8, 0), 8)
            return bitsHere == 8 ? byte : byte & ~(UInt8(0xFF) >> bitsHere)
        }
    }

    /// `"192.0.2.0/24"`.
    public var description: String { "\(network)/\(prefixLength)" }
}
