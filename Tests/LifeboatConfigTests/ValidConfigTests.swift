import LifeboatConfig
import LifeboatTestSupport
import Testing

@Suite("Valid configurations: defaults and the shipped examples")
struct ValidConfigTests {
    @Test("unset keys take their documented defaults")
    func defaults() throws {
        let config = try load(minimalConfig)
        #expect(config.stateDirectory == "/var/lib/lifeboat")
        #expect(config.dns.listen.map(\.description) == ["127.0.0.1:53", "[::1]:53"])
        #expect(config.dns.zonesDirectory == "/etc/lifeboat/zones")
        #expect(config.dns.notify.isEmpty && config.dns.allowTransfer.isEmpty)
        #expect(config.http.listen.description == "127.0.0.1:8053")
        #expect(config.witnessChecks.isEmpty)
        let service = try #require(config.services.first)
        #expect(service.ttl == 30 && service.fall == 3 && service.rise == 3 && service.stepRetries == 3)
        #expect(service.failback == .manual)
        #expect(service.interval == .seconds(2) && service.holddown == .seconds(300))
        #expect(service.fastInterval == .milliseconds(200))
        #expect(service.minFailoverInterval == .seconds(600) && service.maxLag == .seconds(300))
        #expect(service.drainGrace == .seconds(5))
        #expect(service.readOnly.preset == ReadOnlyPreset.none && service.readOnly.tablePrefixes == [""])
        #expect(service.readOnly.apacheReload == ["apache2ctl", "graceful"])
        #expect(service.readOnly.apacheConfigTest == ["apache2ctl", "-t"])
        #expect(service.readOnly.stopReplication == false && service.readOnly.replicaReadOnly == false)
        let http = try #require(service.primary.checks.first)
        #expect(http.name == "http:http://www.example.com/" && http.timeout == .seconds(5))
        guard case .http(let settings) = http.kind else { Issue.record("not http"); return }
        #expect(settings.connectTo.description == "203.0.113.10:80" && settings.expectStatus.isEmpty && !settings.insecure)
        guard case .mysql(let mysql) = service.primary.checks[1].kind else { Issue.record("not mysql"); return }
        #expect(mysql.endpoint.port == 3306 && mysql.query == "SELECT 1" && !mysql.replication)
    }

    @Test("Drupal sites: a string prefix, Drupal's prefix array, another database, and the table_prefixes shorthand")
    func drupalSites() throws {
        let text = minimalConfig.replacingFirst("preset = \"none\"", with: """
            preset = "none"
            base_path = "/drupal"
            language_prefixes = ["en", "pt-br"]
            [[service.readonly.site]]
            name = "main"
            prefix = { default = "main_", sessions = "shared_", users = "shared." }
            [[service.readonly.site]]
            name = "groups"
            prefix = "groups_"
            database = "groupsdb"
            """)
        let readOnly = try load(text).services[0].readOnly
        #expect(readOnly.basePath == "/drupal/" && readOnly.languagePrefixes == ["en", "pt-br"])
        let main = readOnly.sites[0], groups = readOnly.sites[1]
        #expect(main.name == "main" && main.keyPath == "service[0].readonly.site[0]")
        #expect(main.table("sessions", defaultDatabase: "drupal") == PhysicalTable(database: "drupal", name: "shared_sessions"))
        #expect(main.table("users", defaultDatabase: "drupal") == PhysicalTable(database: "shared", name: "users"))
        #expect(main.table("cache_page", defaultDatabase: "drupal").description == "drupal.main_cache_page")
        #expect(main.keyPath(for: "sessions") == "service[0].readonly.site[0].prefix.sessions")
        #expect(main.keyPath(for: "cache_page") == "service[0].readonly.site[0].prefix")
        #expect(groups.table("sessions", defaultDatabase: "drupal").sql == "`groupsdb`.`groups_sessions`")

        let shorthand = try load(minimalConfig.replacingFirst("preset = \"none\"", with: "preset = \"none\"\ntable_prefixes = [\"main_\", \"\"]"))
        let sites = shorthand.services[0].readOnly.sites
        #expect(sites.map(\.name) == ["main", "default"])
        #expect(sites[0].keyPath(for: "sessions") == "service[0].readonly.table_prefixes[0]" && sites[0].fromShorthand)
    }

    @Test("an HTTP check on an IP URL needs no connect_to; the port comes from the scheme")
    func ipURL() throws {
        let text = minimalConfig.replacingFirst(
            #"{ type = "http", url = "http://www.example.com/", connect_to = "203.0.113.10:80" }"#,
            with: #"{ type = "http", url = "https://[2001:db8::10]/health" }"#)
        let check = try load(text).services[0].primary.checks[0]
        guard case .http(let http) = check.kind else { Issue.record("not http"); return }
        #expect(http.connectTo.description == "[2001:db8::10]:443")
    }

    @Test("names are normalised: lower case, trailing dot")
    func normalisedNames() throws {
        let text = minimalConfig.replacingFirst("zone = \"example.com.\"", with: "zone = \"Example.COM\"")
        let service = try load(text).services[0]
        #expect(service.zone.description == "example.com.")
    }

    @Test("examples/lifeboat.toml is valid apart from the files a real host has", arguments: ["examples/lifeboat.toml", "examples/lab.toml"])
    func shippedExamples(_ relativePath: String) throws {
        let path = "\(repositoryRoot)/\(relativePath)"
        let config = try ConfigLoader.load(path: path, fileSystem: fakeFileSystem)
        #expect(config.services.map(\.name) == ["www"])
        #expect(config.services[0].owners.map(\.description) == ["www.example.com.", "example.com."])
    }

    @Test("fast_interval: 200 ms by default, never above a shorter interval, as given otherwise")
    func fastInterval() throws {
        let short = try load(minimalConfig.replacingFirst("name = \"www\"", with: "name = \"www\"\ninterval = \"150ms\""))
        #expect(short.services[0].fastInterval == .milliseconds(150))
        let given = try load(minimalConfig.replacingFirst("name = \"www\"", with: "name = \"www\"\nfast_interval = \"500ms\""))
        #expect(given.services[0].fastInterval == .milliseconds(500) && given.services[0].interval == .seconds(2))
    }

    @Test("the lab example resolves zones_dir from its own directory")
    func labZonesDirectory() throws {
        let config = try ConfigLoader.load(path: "\(repositoryRoot)/examples/lab.toml", fileSystem: fakeFileSystem)
        #expect(config.dns.zonesDirectory == "\(repositoryRoot)/examples/../zones")
        #expect(config.services[0].interval == .seconds(1) && config.services[0].ttl == 5)
        // mysql and stop_replication given: the replica is kept read-only, and its replication check expects it.
        #expect(config.services[0].readOnly.replicaReadOnly)
        let standbyDB = config.services[0].standby.checks.compactMap { if case .mysql(let m) = $0.kind { m } else { nil } }.first
        #expect(standbyDB?.replication == true && standbyDB?.expectReadOnly == true)
        let primaryDB = config.services[0].primary.checks.compactMap { if case .mysql(let m) = $0.kind { m } else { nil } }.first
        #expect(primaryDB?.expectReadOnly == false)
    }
}
