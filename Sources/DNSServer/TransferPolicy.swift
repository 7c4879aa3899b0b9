import DomainNames
import LifeboatConfig

/// Who may transfer zones (`dns.allow_transfer`): an entry without a key allows its network;
/// one with a key only requests signed with that key.
struct TransferPolicy: Sendable {
    let allowed: [TransferPermission]

    /// Whether a request from `address`, signed with `key` (nil: unsigned), may transfer.
    func permits(_ address: String?, signedWith key: DNSName?) -> Bool {
        guard let address, let ip = IPAddress(address) else { return false }
        return allowed.contains { $0.network.contains(ip) && ($0.key == nil || $0.key == key) }
    }

    /// Whether `address` would be allowed with some key: an unsigned request from it is refused
    /// for the want of one (counted as such).
    func needsKey(_ address: String?) -> Bool {
        guard let address, let ip = IPAddress(address) else { return false }
        return allowed.contains { $0.network.contains(ip) && $0.key != nil }
    }
}
