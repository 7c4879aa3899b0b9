import LifeboatConfig
import LifeboatCore

extension ServiceSettings {
    /// The addresses the owners get while `site` is active, in config order.
    func addresses(of site: SiteRole) -> [IPAddress] {
        site == .primary ? primary.addresses : standby.addresses
    }

    /// The A/AAAA values (4 or 16 bytes each) served while `site` is active, in config order.
    func addressBytes(of site: SiteRole) -> [[UInt8]] {
        addresses(of: site).map(\.bytes)
    }

    /// The same, sorted as `ZonePublisher.servedAddresses(of:)` returns them, for comparing.
    func sortedAddressBytes(of site: SiteRole) -> [[UInt8]] {
        addressBytes(of: site).sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The site whose addresses `served` are, if either's.
    func site(serving served: [[UInt8]]?) -> SiteRole? {
        guard let served else { return nil }
        return [SiteRole.standby, .primary].first { sortedAddressBytes(of: $0) == served }
    }
}
