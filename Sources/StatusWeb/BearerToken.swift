/// The control endpoints' bearer token, compared in constant time.
struct BearerToken: Sendable {
    private let secret: [UInt8]

    init(_ secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// Whether `header` (the whole `Authorization` value) carries the token. The comparison takes
    /// the same time wherever the first difference is.
    func accepts(authorization header: String) -> Bool {
        guard header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst("Bearer ".count).utf8)
        var difference = UInt8(given.count == secret.count ? 0 : 1)
        for index in 0..<secret.count {
            difference |= secret[index] ^ (index < given.count ? given[index] : 0)
        }
        return difference == 0 && !secret.isEmpty
    }
}
