import LifeboatConfig
import StandbyActions
import Testing

@Suite("Drupal sites → the physical tables each read-only step changes")
struct DrupalSitePlanTests {
    static func readOnly(_ preset: ReadOnlyPreset, _ sites: [DrupalSite]) -> ReadOnlySettings {
        ReadOnlySettings(
            preset: preset, adminAllow: [], adminName: "admin", tablePrefixes: [], sites: sites, basePath: "/",
            languagePrefixes: [], apacheFlagFile: nil, apacheConfigTest: [], apacheReload: [],
            mysql: MySQLEndpoint(host: "127.0.0.1", port: 3306, socket: nil, user: "lifeboat", passwordFile: "/pw", database: "drupal"),
            stopReplication: true, resync: [], extra: [])
    }

    /// The seed document's layout: main_ and groups_ share shared_sessions and shared_users.
    static let seed = [
        DrupalSite(name: "main", prefix: TablePrefix(defaultPrefix: "main_", perTable: ["sessions": "shared_", "users": "shared_"]), keyPath: "s.site[0]"),
        DrupalSite(name: "groups", prefix: TablePrefix(defaultPrefix: "groups_", perTable: ["sessions": "shared_", "users": "shared_"]), keyPath: "s.site[1]"),
    ]

    static func table(_ name: String, in database: String = "drupal") -> PhysicalTable { PhysicalTable(database: database, name: name) }

    @Test("Drupal 6, the seed layout: shared sessions purged once, each site's page cache and access rules once")
    func drupal6Seed() {
        let plans = DrupalSitePlan.plans(for: Self.readOnly(.drupal6, Self.seed))
        #expect(plans.map(\.stepName) == ["sql:main", "sql:groups"])
        #expect(plans[0].operations == [.purgeSessions(Self.table("shared_sessions")), .purgePageCache(Self.table("main_cache_page")), .accessRules(Self.table("main_access"))])
        #expect(plans[1].operations == [.purgePageCache(Self.table("groups_cache_page")), .accessRules(Self.table("groups_access"))])
        #expect(plans[1].sharedWith.map(\.operation) == [.purgeSessions(Self.table("shared_sessions"))])
        #expect(plans[1].sharedWith.map(\.site) == ["main"])
    }

    @Test("Drupal 7: site_readonly per site's variable table; a shared variable table is changed once")
    func drupal7() {
        var sites = Self.seed
        sites[1].prefix.perTable["variable"] = "main_"
        let plans = DrupalSitePlan.plans(for: Self.readOnly(.drupal7, sites))
        #expect(plans[0].operations.last == .siteReadonly(
            variable: Self.table("main_variable"), system: Self.table("main_system"), cacheBootstrap: Self.table("main_cache_bootstrap")))
        #expect(!plans[1].operations.contains { if case .siteReadonly = $0 { true } else { false } })
        #expect(plans[1].sharedWith.count == 2)
    }

    @Test("a prefix naming another database, and a site's own database")
    func databases() {
        let sites = [
            DrupalSite(name: "a", prefix: TablePrefix(defaultPrefix: "", perTable: ["sessions": "shared."]), keyPath: "k"),
            DrupalSite(name: "b", prefix: TablePrefix(defaultPrefix: "b_"), database: "other", keyPath: "k2"),
        ]
        let plans = DrupalSitePlan.plans(for: Self.readOnly(.drupal6, sites))
        #expect(plans[0].operations.first == .purgeSessions(Self.table("sessions", in: "shared")))
        #expect(plans[1].operations.first == .purgeSessions(Self.table("b_sessions", in: "other")))
        #expect(Self.table("sessions", in: "shared").sql == "`shared`.`sessions`")
    }

    @Test("no preset or no database: no SQL steps")
    func none() {
        #expect(DrupalSitePlan.plans(for: Self.readOnly(.none, Self.seed)).isEmpty)
        var noDatabase = Self.readOnly(.drupal7, Self.seed)
        noDatabase.mysql = nil
        #expect(DrupalSitePlan.plans(for: noDatabase).isEmpty)
    }

    @Test("the preflight key of a table is the prefix entry that decides it")
    func keys() {
        let plan = DrupalSitePlan.plans(for: Self.readOnly(.drupal6, Self.seed))[0]
        let uses = plan.operations.flatMap(\.tables)
        #expect(plan.keyPath(of: uses[0]) == "s.site[0].prefix.sessions")
        #expect(plan.keyPath(of: uses[1]) == "s.site[0].prefix")
    }
}
