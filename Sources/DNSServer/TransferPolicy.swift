import LifeboatConfig

/// Who may transfer zones (`dns.allow_transfer`).
struct TransferPolicy: Sendable {
    let allowed: [IPNetwork]

    func permits(_ address: String?) -> Bool {
        guard let address, let ip = IPAddress(address) else { return false }
        return allowed.contains { $0.contains(ip) }
    }
}
