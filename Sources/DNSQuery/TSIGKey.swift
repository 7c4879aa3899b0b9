import CCrypto
public import DomainNames

/// A TSIG key (RFC 8945): its name, HMAC algorithm and secret.
public struct TSIGKey: Sendable, Equatable, CustomStringConvertible {
    /// The HMACs Lifeboat signs with.
    public enum Algorithm: String, Sendable, CaseIterable {
        case hmacSHA256 = "hmac-sha256"
        case hmacSHA512 = "hmac-sha512"

        /// The algorithm's name in a TSIG record.
        public var name: DNSName { DNSName(rawValue + ".")! }
        /// The full MAC's length in bytes.
        public var macSize: Int { self == .hmacSHA256 ? 32 : 64 }
    }

    public var name: DNSName
    public var algorithm: Algorithm
    /// The secret (decoded from its base64 file); never printed.
    public var secret: [UInt8]

    public init(name: DNSName, algorithm: Algorithm, secret: [UInt8]) {
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
    }

    /// The key's name and algorithm, never its secret.
    public var description: String { "\(name) (\(algorithm.rawValue))" }

    /// HMAC of `data` with the secret.
    func mac(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let digest = algorithm == .hmacSHA256 ? EVP_sha256() : EVP_sha512()
        secret.withUnsafeBytes { key in
            data.withUnsafeBytes { bytes in
                _ = HMAC(digest, key.baseAddress, Int32(key.count), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count,
                         &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }

    /// Compares MACs in constant time.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }
}
