import Foundation
import LifeboatTestSupport
import NativeClients
import SystemIO
import Testing

/// Every test that talks to the lab, one at a time: many break and heal it.
@Suite("The lab, one test at a time", .serialized, .enabled(if: Lab.isUp))
enum LabSuites {}

extension LabSuites {
@Suite("Integration with the lab's real Apache and MariaDB")
struct LabIntegrationTests {
    // MARK: HTTP through libcurl

    private func get(_ site: String, path: String = "/", maxBody: Int = 65536) throws -> HTTPResponse {
        let endpoint = Lab.httpEndpoint(site)
        // The URL names a host nobody resolves: the address is pinned, as every check does.
        let request = HTTPRequest(
            url: "http://www.example.com\(path)", connectAddress: endpoint.address, connectPort: endpoint.port,
            timeout: .seconds(3), maxBodyBytes: maxBody)
        return try CurlEasy().perform(request)
    }

    private func body(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test("GET both sites over a pinned address")
    func getBothSites() throws {
        let primary = try get("LAB_PRIMARY_HTTP")
        #expect(primary.status == 200)
        #expect(body(primary).contains("site=primary\nreadonly=no\n"))
        let standby = try get("LAB_STANDBY_HTTP")
        #expect(standby.status == 200)
        #expect(body(standby).contains("site=standby\nreadonly=no\n"))
        #expect(standby.timings.connect > .zero)
        #expect(standby.timings.connect <= standby.timings.firstByte)
        #expect(standby.timings.firstByte <= standby.timings.total)
        #expect(standby.timings.tls == .zero)
        #expect(!standby.bodyTruncated)
    }

    @Test("a long body is cut at the limit and the transfer stopped")
    func bodyLimit() throws {
        let whole = try get("LAB_PRIMARY_HTTP")
        let response = try get("LAB_PRIMARY_HTTP", maxBody: 5)
        #expect(response.status == 200)
        #expect(whole.body.count > 5 && response.body == Array(whole.body.prefix(5)))
        #expect(response.bodyTruncated)
    }

    @Test("the readonly flag flips after writing the flag file and a graceful reload, and back")
    func readonlyFlagFlips() async throws {
        let flagFile = Lab.value("LAB_STANDBY_FLAG_FILE")
        let reload = Lab.value("LAB_STANDBY_APACHE_RELOAD")
        let configtest = Lab.value("LAB_STANDBY_APACHE_CONFIGTEST")
        defer {
            try? FileManager.default.removeItem(atPath: flagFile)
            _ = Lab.run(reload, [])
        }
        try "SetEnv readonly yes\n".write(toFile: flagFile, atomically: true, encoding: .utf8)
        #expect(Lab.run(configtest, []).status == 0)
        #expect(Lab.run(reload, []).status == 0)
        let flipped = try await eventually { try body(get("LAB_STANDBY_HTTP")).contains("readonly=yes") }
        #expect(flipped)
        #expect(try body(get("LAB_PRIMARY_HTTP")).contains("readonly=no"), "only the standby includes the flag file")

        try FileManager.default.removeItem(atPath: flagFile)
        #expect(Lab.run(reload, []).status == 0)
        let back = try await eventually { try body(get("LAB_STANDBY_HTTP")).contains("readonly=no") }
        #expect(back)
    }

    @Test("the login form accepts the right password while the site is writable, and makes a session row")
    func loginAcceptsPost() throws {
        // On the primary: a login on the standby would write into the replica.
        let endpoint = Lab.httpEndpoint("LAB_PRIMARY_HTTP")
        let count = { Int(Lab.run("/usr/bin/mariadb", ["--defaults-file=\(Lab.value("LAB_DIR"))/mysql/primary/client.cnf", "-N", "drupal",
                                                       "-e", "SELECT COUNT(*) FROM shared_sessions WHERE uid = 2"]).output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        let before = count()
        let wrong = Lab.run("/usr/bin/curl", ["-sS", "-d", "name=alice&pass=wrong", "http://\(endpoint.address):\(endpoint.port)/user/login"])
        #expect(wrong.output.contains("login=refused") && count() == before)
        let result = Lab.run("/usr/bin/curl", ["-sS", "-d", "name=alice&pass=alice-pass", "http://\(endpoint.address):\(endpoint.port)/user/login"])
        #expect(result.status == 0)
        #expect(result.output.contains("login=accepted"))
        #expect(count() == before + 1)
    }

    @Test("a closed port is refused")
    func httpRefused() throws {
        let request = HTTPRequest(url: "http://www.example.com/", connectAddress: "127.0.0.1", connectPort: try LoopbackListener.closedPort(), timeout: .seconds(2))
        #expect { try CurlEasy().perform(request) } throws: { ($0 as? NativeClientError)?.kind == .refused }
    }

    @Test("a server that accepts and never answers times out within 10 % of the limit")
    func httpTimeout() throws {
        let listener = try LoopbackListener()
        let request = HTTPRequest(url: "http://www.example.com/", connectAddress: "127.0.0.1", connectPort: listener.port, timeout: .milliseconds(500))
        let started = ContinuousClock.now
        #expect { try CurlEasy().perform(request) } throws: { ($0 as? NativeClientError)?.kind == .timeout }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(450) && elapsed <= .milliseconds(550), "took \(elapsed)")
    }

    @Test("a stray .htaccess (Drupal writes one into its temporary directory) changes nothing: AllowOverride None")
    func strayHtaccessIgnored() throws {
        let labDirectory = Lab.value("LAB_DIR")
        let docroot = labDirectory + "/apache/standby/docroot"
        let strays = [labDirectory + "/.htaccess", docroot + "/.htaccess", docroot + "/drupal/.htaccess"]
        defer { for path in strays { try? FileManager.default.removeItem(atPath: path) } }
        for path in strays { try "Deny from all\nThisIsNotADirective on\n".write(toFile: path, atomically: true, encoding: .utf8) }
        let page = try get("LAB_STANDBY_HTTP", path: "/node/1")
        #expect(page.status == 200 && body(page).contains("site=standby"), "\(page.status) \(body(page).prefix(200))")
        #expect(try get("LAB_STANDBY_HTTP", path: "/drupal/node/1").status == 200)
    }

    @Test("the 500 fault gives status 500, healed gives 200")
    func http500Fault() throws {
        try Lab.fault(.primaryHTTP500)
        defer { Standby.heal(.primaryHTTP500) }
        let response = try get("LAB_PRIMARY_HTTP")
        #expect(response.status == 500)
        try Lab.heal(.primaryHTTP500)
        #expect(try get("LAB_PRIMARY_HTTP").status == 200)
    }

    @Test("servers the lab starts from this process block no signals, so the next fault can stop them")
    func labDaemonsTakeSignals() throws {
        try Lab.fault(.primaryHTTP)
        try Lab.heal(.primaryHTTP)
        let pid = try String(contentsOfFile: "\(Lab.value("LAB_DIR"))/apache/primary/run/httpd.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        #expect(status.contains("SigBlk:\t0000000000000000"), "\(status.split(separator: "\n").filter { $0.hasPrefix("Sig") })")
        #expect(Lab.run("\(Lab.repositoryRoot)/scripts/lab", ["fault", "primary-http"]).status == 0)
        try Lab.heal(.primaryHTTP)
    }

    // MARK: MariaDB through Connector/C

    private func options(port: String, password: String? = nil, timeout: Duration = .seconds(2)) throws -> MySQLConnectOptions {
        MySQLConnectOptions(
            host: Lab.value("LAB_MYSQL_HOST"), port: Int(Lab.value(port))!, user: Lab.value("LAB_MYSQL_USER"),
            password: try password ?? SecretFile.read(Lab.value("LAB_MYSQL_PASSWORD_FILE")),
            database: Lab.value("LAB_DB"), connectTimeout: timeout, readTimeout: timeout, writeTimeout: timeout)
    }

    @Test("SELECT 1 on both databases", arguments: ["LAB_PRIMARY_MYSQL_PORT", "LAB_STANDBY_MYSQL_PORT"])
    func selectOne(_ port: String) throws {
        let connection = try MariaDBConnection(options(port: port))
        let result = try connection.query("SELECT 1 AS one")
        #expect(result == QueryResult(columns: ["one"], rows: [["1"]]))
        #expect(connection.ping())
    }

    @Test("rows come back as text, NULL as nil")
    func rowsAsText() throws {
        let connection = try MariaDBConnection(options(port: "LAB_STANDBY_MYSQL_PORT"))
        let result = try connection.query("SELECT uid, name, NULL AS nothing FROM shared_users WHERE uid IN (1, 2) ORDER BY uid")
        #expect(result.columns == ["uid", "name", "nothing"])
        #expect(result.rows == [["1", "admin", nil], ["2", "alice", nil]])
        let sessions = try connection.query("SELECT COUNT(*) AS n FROM shared_sessions WHERE uid <> 1 AND sid LIKE '%-session'")
        #expect(sessions.value("n") == "6", "alice, bob and an anonymous session for each of the two sites")
    }

    @Test("a wrong password is an auth error with the server's message")
    func wrongPassword() throws {
        let options = try options(port: "LAB_PRIMARY_MYSQL_PORT", password: "not-the-password")
        #expect {
            try MariaDBConnection(options)
        } throws: {
            guard let error = $0 as? NativeClientError else { return false }
            return error.kind == .auth && error.code == 1045 && error.message.contains("Access denied for user 'lifeboat'")
        }
    }

    @Test("a closed port is refused, not a timeout")
    func mysqlRefused() throws {
        var options = try options(port: "LAB_PRIMARY_MYSQL_PORT")
        options.port = Int(try LoopbackListener.closedPort())
        // Connector/C reports errno 115 here, not 111: the kind must still say refused.
        #expect { try MariaDBConnection(options) } throws: {
            ($0 as? NativeClientError)?.kind == .refused && ($0 as? NativeClientError)?.message.contains("Can't connect") == true
        }
    }

    @Test("a server that never sends its greeting is a timeout")
    func mysqlTimeout() throws {
        let listener = try LoopbackListener()
        var options = try options(port: "LAB_PRIMARY_MYSQL_PORT", timeout: .seconds(1))
        options.port = Int(listener.port)
        let started = ContinuousClock.now
        #expect { try MariaDBConnection(options) } throws: { ($0 as? NativeClientError)?.kind == .timeout }
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test("a failing statement is a query error with the server's code")
    func queryError() throws {
        let connection = try MariaDBConnection(options(port: "LAB_PRIMARY_MYSQL_PORT"))
        #expect { try connection.query("SELECT * FROM no_such_table") } throws: {
            ($0 as? NativeClientError)?.kind == .query && ($0 as? NativeClientError)?.code == 1146
        }
    }

    @Test("the replica runs with lag 0; the replication fault shows it stopped")
    func replicationStatus() async throws {
        let standby = try MariaDBConnection(options(port: "LAB_STANDBY_MYSQL_PORT"))
        let running = try standby.query("SHOW SLAVE STATUS")
        #expect(running.value("Slave_IO_Running") == "Yes")
        #expect(running.value("Slave_SQL_Running") == "Yes")
        #expect(running.value("Seconds_Behind_Master") == "0")

        try Lab.fault(.replication)
        defer { Standby.heal(.replication) }
        let stopped = try standby.query("SHOW SLAVE STATUS")
        #expect(stopped.value("Slave_IO_Running") == "No")
        #expect(stopped.value("Slave_SQL_Running") == "No")
        #expect(stopped.value("Seconds_Behind_Master") == nil, "NULL while the threads are stopped")

        try Lab.heal(.replication)
        let healed = try await eventually {
            try standby.query("SHOW SLAVE STATUS").value("Slave_IO_Running") == "Yes"
        }
        #expect(healed)
    }

    // MARK: The CLI against real files

    private var lifeboat: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let beside = here.appendingPathComponent("lifeboat").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : "\(Lab.repositoryRoot)/.build/debug/lifeboat"
    }

    @Test("`lifeboat config check` accepts the lab config and exits 0")
    func configCheckOK() throws {
        let unstarted = try LabDaemon()  // examples/lab.toml, pointed at this test's lab
        defer { withExtendedLifetime(unstarted) {} }  // its directory holds the config
        let config = unstarted.config
        let result = Lab.run(lifeboat, ["config", "check", "--config", config])
        #expect(result.status == 0)
        #expect(result.output == "ok\n")
    }

    @Test("`lifeboat config check` lists every problem and exits 1")
    func configCheckProblems() throws {
        let path = NSTemporaryDirectory() + "lifeboat-bad-\(UUID().uuidString).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
            state_dir = 5
            [http]
            token_file = "/nonexistent/token"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = Lab.run(lifeboat, ["config", "check", "--config", path])
        #expect(result.status == 1)
        #expect(result.output == """
            \(path): state_dir: expected a string, got an integer (5)
            \(path): dns.zones_dir: directory not found: /etc/lifeboat/zones (the default; set dns.zones_dir)
            \(path): http.token_file: file not found: /nonexistent/token
            \(path): service: missing; expected at least one [[service]] table
            4 problems

            """)
        let json = Lab.run(lifeboat, ["config", "check", "--json", "--config", path])
        #expect(json.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(parsed?["ok"] as? Bool == false)
        #expect((parsed?["problems"] as? [[String: String]])?.first?["key"] == "state_dir")
    }
}
}
