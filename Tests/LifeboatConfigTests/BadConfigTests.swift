import LifeboatConfig
import LifeboatTestSupport
import Testing

/// One broken configuration and the single problem it must produce.
struct BadConfig: CustomTestStringConvertible, Sendable {
    let name: String
    let replace: String
    let with: String
    let keyPath: String
    let message: String

    var testDescription: String { name }

    init(_ name: String, replace: String = "", with: String, keyPath: String, message: String) {
        self.name = name
        self.replace = replace
        self.with = with
        self.keyPath = keyPath
        self.message = message
    }

    var text: String {
        replace.isEmpty ? minimalConfig + with + "\n" : minimalConfig.replacingFirst(replace, with: with)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { fatalError("test text not found: \(target)") }
        return replacingCharacters(in: range, with: replacement)
    }

    func range(of target: String) -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}

private let mysqlCheck = #"{ type = "mysql", host = "203.0.113.10", user = "lifeboat", password_file = "/etc/lifeboat/primary.pw" }"#
private let httpCheck = #"{ type = "http", url = "http://www.example.com/", connect_to = "203.0.113.10:80" }"#

let badConfigs: [BadConfig] = [
    BadConfig("unknown top-level key with a suggestion", replace: "[http]", with: "stat_dir = \"/x\"\n[http]",
              keyPath: "stat_dir", message: "unknown key; did you mean \"state_dir\"?"),
    BadConfig("typo in a service key", replace: "name = \"www\"", with: "name = \"www\"\nintervall = \"2s\"",
              keyPath: "service[0].intervall", message: "unknown key; did you mean \"interval\"?"),
    BadConfig("unknown key without a near match", replace: "[http]", with: "[http]\ncolour = \"red\"",
              keyPath: "http.colour", message: "unknown key; expected one of: listen, token_file"),
    BadConfig("TCP connection limit of zero", with: "[dns]\ntcp_max_connections = 0", keyPath: "dns.tcp_max_connections",
              message: "expected an integer from 1 to 100000, got an integer (0)"),
    BadConfig("integer given as a string", replace: "name = \"www\"", with: "name = \"www\"\nttl = \"30\"",
              keyPath: "service[0].ttl", message: "expected an integer from 1 to 86400, got a string (\"30\")"),
    BadConfig("integer out of range", replace: "name = \"www\"", with: "name = \"www\"\nfall = 0",
              keyPath: "service[0].fall", message: "expected an integer from 1 to 100, got an integer (0)"),
    BadConfig("duration in words", replace: "name = \"www\"", with: "name = \"www\"\ninterval = \"2 seconds\"",
              keyPath: "service[0].interval",
              message: "expected a duration like \"500ms\", \"2s\", \"5m\" or \"1h\", got a string (\"2 seconds\")"),
    BadConfig("duration as a bare number", replace: "name = \"www\"", with: "name = \"www\"\nholddown = 300",
              keyPath: "service[0].holddown",
              message: "expected a duration like \"500ms\", \"2s\", \"5m\" or \"1h\", got an integer (300)"),
    BadConfig("duration below the minimum", replace: "name = \"www\"", with: "name = \"www\"\ninterval = \"10ms\"",
              keyPath: "service[0].interval", message: "must be at least 100ms, got \"10ms\""),
    BadConfig("fast interval above the interval", replace: "name = \"www\"", with: "name = \"www\"\ninterval = \"1s\"\nfast_interval = \"2s\"",
              keyPath: "service[0].fast_interval", message: "is 2s, above interval (1s); expected at most interval"),
    BadConfig("listen address without port", with: "[dns]\nlisten = [\"127.0.0.1\"]", keyPath: "dns.listen[0]",
              message: "expected an address with a port, e.g. \"192.0.2.1:53\" or \"[2001:db8::1]:53\", got a string (\"127.0.0.1\")"),
    BadConfig("port out of range", with: "[dns]\nlisten = [\"127.0.0.1:70000\"]", keyPath: "dns.listen[0]",
              message: "expected an address with a port, e.g. \"192.0.2.1:53\" or \"[2001:db8::1]:53\", got a string (\"127.0.0.1:70000\")"),
    BadConfig("IPv6 without closing bracket", with: "[dns]\nlisten = [\"127.0.0.1:53\", \"[::1:53\"]", keyPath: "dns.listen[1]",
              message: "expected an address with a port, e.g. \"192.0.2.1:53\" or \"[2001:db8::1]:53\", got a string (\"[::1:53\")"),
    BadConfig("CIDR with host bits", replace: "preset = \"none\"", with: "preset = \"none\"\nadmin_allow = [\"192.0.2.5/24\"]",
              keyPath: "service[0].readonly.admin_allow[0]", message: "\"192.0.2.5/24\" has host bits set; did you mean \"192.0.2.0/24\"?"),
    BadConfig("CIDR prefix too long", with: "[dns]\nallow_transfer = [\"192.0.2.0/33\"]", keyPath: "dns.allow_transfer[0]",
              message: "expected an address or CIDR network, e.g. \"192.0.2.0/24\", got a string (\"192.0.2.0/33\")"),
    BadConfig("site address not an IP", replace: "addresses = [\"203.0.113.10\"]", with: "addresses = [\"203.0.113.300\"]",
              keyPath: "service[0].primary.addresses[0]",
              message: "expected an IP address, e.g. \"203.0.113.10\" or \"2001:db8::10\", got a string (\"203.0.113.300\")"),
    BadConfig("owner outside its zone", replace: "owners = [\"www.example.com.\"]", with: "owners = [\"www.example.org.\"]",
              keyPath: "service[0].owners[0]", message: "www.example.org. is outside the service's zone example.com."),
    BadConfig("owner listed twice", replace: "owners = [\"www.example.com.\"]", with: "owners = [\"www.example.com.\", \"WWW.example.com\"]",
              keyPath: "service[0].owners[1]", message: "www.example.com. is listed twice"),
    BadConfig("missing password file", replace: "/etc/lifeboat/primary.pw", with: "/etc/lifeboat/missing.pw",
              keyPath: "service[0].primary.checks[1].password_file", message: "file not found: /etc/lifeboat/missing.pw"),
    BadConfig("relative password file resolved from the config's directory", replace: "/etc/lifeboat/primary.pw", with: "secrets/missing.pw",
              keyPath: "service[0].primary.checks[1].password_file", message: "file not found: /etc/lifeboat/secrets/missing.pw"),
    BadConfig("missing token file", replace: "/etc/lifeboat/token", with: "/etc/lifeboat/missing-token",
              keyPath: "http.token_file", message: "file not found: /etc/lifeboat/missing-token"),
    BadConfig("missing zones directory", with: "[dns]\nzones_dir = \"/srv/missing\"", keyPath: "dns.zones_dir",
              message: "directory not found: /srv/missing"),
    BadConfig("URL that is not HTTP", replace: "url = \"http://www.example.com/\"", with: "url = \"ftp://www.example.com/\"",
              keyPath: "service[0].primary.checks[0].url", message: "expected an http:// or https:// URL, got \"ftp://www.example.com/\""),
    BadConfig("credentials in a URL", replace: "url = \"http://www.example.com/\"", with: "url = \"http://admin:secret@www.example.com/\"",
              keyPath: "service[0].primary.checks[0].url",
              message: "credentials in the URL are not allowed (they would be logged); secrets come from files"),
    BadConfig("HTTP check on a name without connect_to", replace: httpCheck, with: #"{ type = "http", url = "https://www.example.com/" }"#,
              keyPath: "service[0].primary.checks[0].connect_to",
              message: "missing; the URL's host \"www.example.com\" is a name and checks never resolve names (Lifeboat serves that DNS): give the address to connect to, e.g. \"203.0.113.10:443\""),
    BadConfig("unknown check type", replace: #"{ type = "tcp", connect_to = "198.51.100.20:80" }"#, with: #"{ type = "icmp", connect_to = "198.51.100.20" }"#,
              keyPath: "service[0].standby.checks[0].type", message: "expected \"http\" or \"mysql\" or \"tcp\", got a string (\"icmp\")"),
    BadConfig("key of another check type", replace: #"{ type = "tcp", connect_to = "198.51.100.20:80" }"#, with: #"{ type = "tcp", connect_to = "198.51.100.20:80", url = "http://x/" }"#,
              keyPath: "service[0].standby.checks[0].url", message: "unknown key; expected one of: connect_to, name, timeout, type"),
    BadConfig("invalid body regex", replace: httpCheck, with: #"{ type = "http", url = "http://203.0.113.10/", expect_body_regex = "([" }"#,
              keyPath: "service[0].primary.checks[0].expect_body_regex", message: "not a valid regular expression: \"([\""),
    BadConfig("status code out of range", replace: httpCheck, with: #"{ type = "http", url = "http://203.0.113.10/", expect_status = [200, 99] }"#,
              keyPath: "service[0].primary.checks[0].expect_status[1]", message: "expected an integer from 100 to 599, got an integer (99)"),
    BadConfig("insecure together with ca_file", replace: httpCheck, with: #"{ type = "http", url = "https://203.0.113.10/", ca_file = "ca.pem", insecure = true }"#,
              keyPath: "service[0].primary.checks[0].insecure",
              message: "insecure = true turns off the verification that ca_file is for; set one or the other"),
    BadConfig("MySQL host given as a name", replace: mysqlCheck, with: #"{ type = "mysql", host = "db.example.com", user = "lifeboat", password_file = "/etc/lifeboat/primary.pw" }"#,
              keyPath: "service[0].primary.checks[1].host",
              message: "expected an IP address or \"localhost\" (names are never resolved), got \"db.example.com\""),
    BadConfig("missing service name", replace: "name = \"www\"\n", with: "",
              keyPath: "service[0].name", message: "missing; expected a service name such as \"www\""),
    BadConfig("service name with capitals", replace: "name = \"www\"", with: "name = \"WWW\"",
              keyPath: "service[0].name", message: "expected a service name of lower-case letters, digits and '-', got \"WWW\""),
    BadConfig("unknown failback mode", replace: "name = \"www\"", with: "name = \"www\"\nfailback = \"sometimes\"",
              keyPath: "service[0].failback", message: "expected \"manual\" or \"auto\", got a string (\"sometimes\")"),
    BadConfig("no standby", replace: "[service.standby]\naddresses = [\"198.51.100.20\"]\nchecks = [ { type = \"tcp\", connect_to = \"198.51.100.20:80\" } ]\n", with: "",
              keyPath: "service[0].standby", message: "missing; expected a table with addresses and checks"),
    BadConfig("site without checks", replace: "checks = [ { type = \"tcp\", connect_to = \"198.51.100.20:80\" } ]", with: "checks = []",
              keyPath: "service[0].standby.checks", message: "is empty; expected at least one check"),
    BadConfig("table prefix that is not an identifier", replace: "preset = \"none\"", with: "preset = \"none\"\ntable_prefixes = [\"main;DROP\"]",
              keyPath: "service[0].readonly.table_prefixes[0]", message: "expected a table prefix of letters, digits and '_' (or \"database.\" / \"database.prefix_\"), got \"main;DROP\""),
    BadConfig("site without a name", replace: "preset = \"none\"", with: "preset = \"none\"\n[[service.readonly.site]]\nprefix = \"main_\"",
              keyPath: "service[0].readonly.site[0].name", message: "missing; expected the site's name, e.g. \"main\""),
    BadConfig("site name with capitals", replace: "preset = \"none\"", with: "preset = \"none\"\n[[service.readonly.site]]\nname = \"Main\"",
              keyPath: "service[0].readonly.site[0].name", message: "expected a site name of lower-case letters, digits and '_', got \"Main\""),
    BadConfig("site prefix of the wrong type", replace: "preset = \"none\"", with: "preset = \"none\"\n[[service.readonly.site]]\nname = \"main\"\nprefix = 5",
              keyPath: "service[0].readonly.site[0].prefix",
              message: "expected a string (one prefix for every table) or a table like Drupal's prefix array ({ default = \"main_\", sessions = \"shared_\" }), got an integer (5)"),
    BadConfig("prefix array entry that is not a prefix", replace: "preset = \"none\"",
              with: "preset = \"none\"\n[[service.readonly.site]]\nname = \"main\"\nprefix = { default = \"main_\", sessions = \"a.b.c\" }",
              keyPath: "service[0].readonly.site[0].prefix.sessions",
              message: "expected a table prefix of letters, digits and '_' (or \"database.\" / \"database.prefix_\"), got \"a.b.c\""),
    BadConfig("prefix array key that is not a table name", replace: "preset = \"none\"",
              with: "preset = \"none\"\n[[service.readonly.site]]\nname = \"main\"\nprefix = { default = \"main_\", \"my-table\" = \"x_\" }",
              keyPath: "service[0].readonly.site[0].prefix.my-table", message: "expected a Drupal table name (letters, digits and '_') as the key"),
    BadConfig("two sites with one name", replace: "preset = \"none\"",
              with: "preset = \"none\"\n[[service.readonly.site]]\nname = \"main\"\n[[service.readonly.site]]\nname = \"main\"\nprefix = \"x_\"",
              keyPath: "service[0].readonly.site[1]",
              message: "site name \"main\" is already used by service[0].readonly.site[0]; each site needs its own name (its step is sql:main)"),
    BadConfig("sites and table_prefixes together", replace: "preset = \"none\"",
              with: "preset = \"none\"\ntable_prefixes = [\"a_\"]\n[[service.readonly.site]]\nname = \"main\"",
              keyPath: "service[0].readonly.table_prefixes", message: "give either table_prefixes or [[service.readonly.site]] entries, not both"),
    BadConfig("replica_read_only without the standby database", replace: "preset = \"none\"", with: "preset = \"none\"\nreplica_read_only = true",
              keyPath: "service[0].readonly.replica_read_only",
              message: "needs readonly.mysql and stop_replication = true (the replica is made writable only once replication is stopped)"),
    BadConfig("replica_read_only of the wrong type (reported once)", replace: "preset = \"none\"", with: "preset = \"none\"\nreplica_read_only = \"yes\"",
              keyPath: "service[0].readonly.replica_read_only", message: "expected true or false, got a string (\"yes\")"),
    BadConfig("base path without a leading slash", replace: "preset = \"none\"", with: "preset = \"none\"\nbase_path = \"drupal\"",
              keyPath: "service[0].readonly.base_path",
              message: "expected a path such as \"/\" or \"/drupal/\" (letters, digits, - _ . ~), got \"drupal\""),
    BadConfig("language prefix with a slash", replace: "preset = \"none\"", with: "preset = \"none\"\nlanguage_prefixes = [\"en/\"]",
              keyPath: "service[0].readonly.language_prefixes[0]",
              message: "expected a language path prefix such as \"en\" or \"pt-br\", got \"en/\""),
    BadConfig("Drupal preset without a database", replace: "preset = \"none\"", with: "preset = \"drupal7\"",
              keyPath: "service[0].readonly.mysql",
              message: "missing; preset \"drupal7\" and SQL extra steps run on the standby database: give { host, port, user, password_file, database }"),
    BadConfig("reload program that does not exist", replace: "preset = \"none\"", with: "preset = \"none\"\napache_reload = [\"/usr/sbin/missing-ctl\", \"graceful\"]",
              keyPath: "service[0].readonly.apache_reload", message: "program not found or not executable: /usr/sbin/missing-ctl"),
    BadConfig("command given as a shell string", replace: "preset = \"none\"", with: "preset = \"none\"\nresync = \"/usr/local/bin/resync --all\"",
              keyPath: "service[0].readonly.resync",
              message: "expected a command as an array of strings, e.g. [\"apache2ctl\", \"graceful\"], got a string (\"/usr/local/bin/resync --all\")"),
    BadConfig("extra step with both SQL and a command", with: "[[service.readonly.extra]]\nsql = \"UPDATE x SET y = 1\"\ncommand = [\"/bin/true\"]",
              keyPath: "service[0].readonly.extra[0]", message: "give either sql or command in one extra step, not both"),
    BadConfig("zone without a zone file", replace: "zone = \"example.com.\"\nowners = [\"www.example.com.\"]", with: "zone = \"missing.example.\"\nowners = [\"www.missing.example.\"]",
              keyPath: "service[0].zone",
              message: "no readable zone file for missing.example. in dns.zones_dir: expected /etc/lifeboat/zones/missing.example.zone"),
    BadConfig("a section that is not a table", replace: "[http]", with: "dns = 5\n[http]",
              keyPath: "dns", message: "expected a table, got an integer (5)"),
]

@Suite("Bad configurations are refused with the key path and what was expected")
struct BadConfigTests {
    @Test("the minimal configuration is valid")
    func minimalIsValid() throws {
        #expect(problems(minimalConfig) == [])
    }

    @Test(arguments: badConfigs)
    func refused(_ bad: BadConfig) {
        let found = problems(bad.text)
        #expect(found.map(\.keyPath) == [bad.keyPath], "\(found)")
        #expect(found.first?.message == bad.message)
        #expect(found.first?.file == "test.toml")
    }

    @Test("every problem is reported at once, in file order")
    func allProblemsAtOnce() {
        let text = minimalConfig
            .replacingFirst("name = \"www\"", with: "name = \"www\"\nttl = 0\ninterval = \"soon\"")
            .replacingFirst("/etc/lifeboat/token", with: "/etc/lifeboat/missing-token")
            .replacingFirst("addresses = [\"198.51.100.20\"]", with: "addresses = [\"nope\"]")
        #expect(problems(text).map(\.keyPath) == [
            "http.token_file", "service[0].interval", "service[0].ttl", "service[0].standby.addresses[0]",
        ])
    }

    @Test("a default path is checked like a written one")
    func checkedDefault() {
        let text = minimalConfig.replacingFirst("token_file = \"/etc/lifeboat/token\"", with: "")
        let fileSystem = FileSystemAccess(
            status: { $0 == "/etc/lifeboat/token" ? .missing : fakeFileSystem.status($0) }, isExecutable: { _ in true })
        do {
            _ = try ConfigLoader.parse(text, file: "test.toml", baseDirectory: "/etc/lifeboat", fileSystem: fileSystem)
            Issue.record("a missing default token file was accepted")
        } catch {
            #expect(error.problems.map(\.description) == [
                "test.toml: http.token_file: file not found: /etc/lifeboat/token (the default; set http.token_file)",
            ])
        }
    }

    @Test("no services at all")
    func noServices() {
        let found = problems("[http]\ntoken_file = \"/etc/lifeboat/token\"\n")
        #expect(found.map(\.description) == ["test.toml: service: missing; expected at least one [[service]] table"])
    }

    @Test("an owner claimed by two services")
    func ownerInTwoServices() {
        let second = minimalConfig.split(separator: "[[service]]", omittingEmptySubsequences: false)[1]
            .replacingOccurrences("name = \"www\"", "name = \"www2\"")
        let found = problems(minimalConfig + "[[service]]" + second)
        #expect(found.map(\.description) == [
            "test.toml: service[1].owners[0]: www.example.com. already belongs to service[0]; an owner can follow only one service",
        ])
    }

    @Test("duplicate service names")
    func duplicateNames() {
        let second = minimalConfig.split(separator: "[[service]]", omittingEmptySubsequences: false)[1]
            .replacingOccurrences("www.example.com.", "example.com.")
        let found = problems(minimalConfig + "[[service]]" + second)
        #expect(found.map(\.description) == ["test.toml: service[1].name: duplicate service name \"www\" (also service[0])"])
    }

    @Test("a TOML syntax error names the line and column")
    func syntaxError() {
        let found = problems("[http]\ntoken_file = \"/etc/lifeboat/token\n")
        #expect(found.count == 1)
        #expect(found.first?.file.hasPrefix("test.toml:2:") == true, "\(found)")
        #expect(found.first?.message.hasPrefix("TOML syntax error: ") == true)
    }

    @Test("an unreadable file is one problem naming the file")
    func unreadableFile() {
        do {
            _ = try ConfigLoader.load(path: "/nonexistent/lifeboat.toml")
            Issue.record("loaded a file that does not exist")
        } catch {
            #expect(error.description == "/nonexistent/lifeboat.toml: cannot read the file (No such file or directory)")
        }
    }
}

extension Substring {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        String(self).split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
