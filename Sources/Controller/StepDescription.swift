import LifeboatConfig
import LifeboatCore

/// What a step would do, in words, for `lifeboat drill --dry-run`: from the service's settings
/// and the preflight's view of the standby (which tables a Drupal site's step touches).
enum StepDescription {
    static func of(_ step: FailoverStep, settings: ServiceSettings, preflight: PreflightReport?, notify: [String]) -> String {
        let owners = settings.owners.map(\.description).joined(separator: ", ")
        let readOnly = settings.readOnly
        let database = readOnly.mysql.map { "\($0.host ?? $0.socket ?? "localhost")\($0.host != nil ? ":\($0.port)" : "")" } ?? "the standby database"
        let secondaries = notify.isEmpty ? "" : ", NOTIFY \(notify.joined(separator: ", "))"
        switch step {
        case .stopReplication: return "STOP SLAVE on \(database): the primary's writes stop arriving"
        case .databaseWritable: return "SET GLOBAL read_only = OFF on \(database) (verified)"
        case .databaseReadOnly: return "SET GLOBAL read_only = ON on \(database) (verified)"
        case .startReplication: return "START SLAVE on \(database)"
        case .verifyReplication: return "wait for both replication threads and a lag within max_lag (\(DurationText.format(settings.maxLag)))"
        case .applyReadOnly(.apache):
            return "write \(readOnly.apacheFlagFile ?? "the snippet") (SetEnv readonly yes, lifeboat_since, lifeboat_data_as_of; non-admin logins blocked), "
                + "`\(readOnly.apacheConfigTest.joined(separator: " "))`, then `\(readOnly.apacheReload.joined(separator: " "))`"
        case .revertReadOnly(.apache):
            return "remove \(readOnly.apacheFlagFile ?? "the snippet"), configtest, graceful reload"
        case .applyReadOnly(.drupal(let site)), .revertReadOnly(.drupal(let site)):
            let tables = preflight?.sites.first { $0.step == step.readOnlyName }?.tables.map { "\($0.operation) \($0.table)" } ?? []
            let verb = if case .applyReadOnly = step { "site \(site): " } else { "site \(site), undone: " }
            return verb + (tables.isEmpty ? "sessions purged, page cache emptied, non-admin logins blocked" : tables.joined(separator: "; "))
        case .applyReadOnly(.extra(let index)), .revertReadOnly(.extra(let index)):
            guard readOnly.extra.indices.contains(index - 1) else { return "extra step \(index)" }
            let apply = if case .applyReadOnly = step { true } else { false }
            switch readOnly.extra[index - 1] {
            case .sql(let sql, let revert): return apply ? "SQL on \(database): \(sql)" : revert.map { "SQL on \(database): \($0)" } ?? "nothing to revert"
            case .command(let command, let revert):
                return apply ? "run `\(command.joined(separator: " "))`" : revert.map { "run `\($0.joined(separator: " "))`" } ?? "nothing to revert"
            }
        case .switchDNS(let site):
            let addresses = settings.addresses(of: site).map(\.description).joined(separator: ", ")
            return "\(owners) → \(site.rawValue) (\(addresses)), serial + 1\(secondaries)"
        case .lowerTTL: return "\(owners) keep their addresses with TTL \(settings.switchoverTTL)s, serial + 1\(secondaries)"
        case .restoreTTL: return "\(owners) get TTL \(settings.ttl)s again, serial + 1\(secondaries)"
        case .ttlWait: return "wait the longest TTL caches may hold (ttl or the zone file's) + drain_grace (\(DurationText.format(settings.drainGrace))) for caches to take the short TTL"
        case .drain: return "wait TTL \(settings.ttl)s + drain_grace (\(DurationText.format(settings.drainGrace))) for resolvers to forget the standby"
        case .resync: return "run `\(readOnly.resync.joined(separator: " "))` (re-clone the standby)"
        case .refresh: return "load a fresh copy into a scratch database, verify it, swap it in (RENAME TABLE)"
        }
    }
}

extension FailoverStep {
    /// `sql:<site>` for a read-only step, as the preflight names its sites' steps.
    var readOnlyName: String? {
        switch self {
        case .applyReadOnly(let id), .revertReadOnly(let id): id.description
        default: nil
        }
    }
}
