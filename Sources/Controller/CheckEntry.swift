import LifeboatConfig
import LifeboatCore

/// A check as the controller knows it: a unique key across all services and witnesses (names
/// need only be unique within a site), where it belongs and its settings.
struct CheckEntry: Sendable {
    let key: CheckKey
    let settings: CheckSettings

    var owner: CheckOwner { key.owner }

    var type: String {
        switch settings.kind {
        case .http: "http"
        case .mysql: "mysql"
        case .tcp: "tcp"
        }
    }

    /// Every check of a configuration.
    static func all(in configuration: LifeboatConfiguration) -> [CheckEntry] {
        var entries = configuration.witnessChecks.map { CheckEntry(key: CheckKey(owner: .witness, name: $0.name), settings: $0) }
        for service in configuration.services {
            for (role, site) in [(SiteRole.primary, service.primary), (.standby, service.standby)] {
                entries += site.checks.map {
                    CheckEntry(key: CheckKey(owner: .site(service: service.name, site: role), name: $0.name), settings: $0)
                }
            }
        }
        return entries
    }
}
