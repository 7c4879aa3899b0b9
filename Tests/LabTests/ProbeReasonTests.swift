import Foundation
import LifeboatTestSupport
import LifeboatConfig
import LifeboatCore
import NativeClients
import NIOConcurrencyHelpers
import NIOPosix
import Probes
import Testing

extension LabSuites {
/// Every failure reason produced by a real fault in the lab (or a real hung or TLS server).
@Suite("Probe reasons from real faults")
struct ProbeReasonTests {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()
    static let curl = try! CurlMulti()
    static let mysql = try! MariaDBLoop()
    static let factory = ProbeFactory(curl: curl, mysql: mysql, group: MultiThreadedEventLoopGroup.singleton)

    static func http(_ endpoint: String, expectBody: String? = nil, timeout: Duration = .seconds(2), url: String = "http://www.example.com/",
                     caFile: String? = nil) -> any Probe {
        let (address, port) = Lab.httpEndpoint(endpoint)
        let settings = HTTPCheckSettings(
            url: url, connectTo: LifeboatConfig.SocketAddress(address: IPAddress(address)!, port: port), expectStatus: [],
            expectBody: expectBody, expectBodyRegex: nil, caFile: caFile, insecure: false)
        return factory.probe(for: CheckSettings(name: "web", timeout: timeout, kind: .http(settings)), maxLag: nil)
    }

    static func mysql(port: String, passwordFile: String? = nil, replication: Bool = false, maxLag: Duration = .seconds(2),
                      timeout: Duration = .seconds(2)) -> any Probe {
        let endpoint = MySQLEndpoint(host: "127.0.0.1", port: Int(Lab.value(port))!, socket: nil, user: Lab.value("LAB_MYSQL_USER"),
                                     passwordFile: passwordFile ?? Lab.value("LAB_MYSQL_PASSWORD_FILE"), database: Lab.value("LAB_DB"))
        let settings = MySQLCheckSettings(endpoint: endpoint, query: "SELECT 1", replication: replication, lagQuery: nil)
        return factory.probe(for: CheckSettings(name: "db", timeout: timeout, kind: .mysql(settings)), maxLag: maxLag)
    }

    /// Runs SQL as root over the instance's socket.
    static func sql(_ site: String, _ statement: String) -> String {
        Lab.run("/usr/bin/mariadb", ["--defaults-file=\(Lab.value("LAB_DIR"))/mysql/\(site)/client.cnf", "-N", "-e", statement]).output
    }

    @Test("a healthy lab passes every kind of check")
    func healthy() async {
        let results = [
            await Self.http("LAB_PRIMARY_HTTP", expectBody: "site=primary").run(),
            await Self.mysql(port: "LAB_PRIMARY_MYSQL_PORT").run(),
            await Self.mysql(port: "LAB_STANDBY_MYSQL_PORT", replication: true).run(),
        ]
        #expect(results.allSatisfy { $0.success }, "\(results.map { $0.message })")
        #expect(results[0].httpStatus == 200 && results[0].timings != nil)
        #expect(results[1].readOnly == false, "the primary is writable")
        #expect(results[2].lagSeconds == 0 && results[2].readOnly == true, "the lab's replica is read-only")
    }

    @Test("Apache stopped: refused")
    func refused() async throws {
        try Lab.fault(.primaryHTTP)
        defer { Standby.heal(.primaryHTTP) }
        let result = await Self.http("LAB_PRIMARY_HTTP").run()
        #expect(!result.success && result.reason == .refused, "\(result)")
    }

    @Test("status 500: http_status")
    func status500() async throws {
        try Lab.fault(.primaryHTTP500)
        defer { Standby.heal(.primaryHTTP500) }
        let result = await Self.http("LAB_PRIMARY_HTTP").run()
        #expect(result.reason == .httpStatus && result.httpStatus == 500 && result.message == "status 500, expected 200-399")
    }

    @Test("a slow page: timeout at the limit ± 10 %")
    func slow() async throws {
        try Lab.fault(.primaryHTTPSlow)
        defer { Standby.heal(.primaryHTTPSlow) }
        let result = await Self.http("LAB_PRIMARY_HTTP", timeout: .seconds(1)).run()
        #expect(result.reason == .timeout, "\(result)")
        #expect(result.duration >= .milliseconds(900) && result.duration <= .milliseconds(1100), "\(result.duration)")
    }

    @Test("the wrong page: body_mismatch")
    func wrongBody() async {
        let result = await Self.http("LAB_PRIMARY_HTTP", expectBody: "site=standby").run()
        #expect(result.reason == .bodyMismatch, "\(result)")
    }

    @Test("expect_body_regex: a match passes, a miss is body_mismatch")
    func bodyRegex() async {
        func probe(_ pattern: String) -> any Probe {
            let (address, port) = Lab.httpEndpoint("LAB_PRIMARY_HTTP")
            return Self.factory.probe(for: CheckSettings(name: "regex", timeout: .seconds(2), kind: .http(HTTPCheckSettings(
                url: "http://www.example.com/", connectTo: LifeboatConfig.SocketAddress(address: IPAddress(address)!, port: port),
                expectStatus: [200], expectBody: nil, expectBodyRegex: pattern, caFile: nil, insecure: false))), maxLag: nil)
        }
        #expect(await probe("^site=(primary|standby)$").run().success == false, "no multiline anchors: the body has two lines")
        #expect(await probe("site=(primary|standby)\\nreadonly=no").run().success)
        let miss = await probe("readonly=yes").run()
        #expect(miss.reason == .bodyMismatch && miss.message.contains("/readonly=yes/"))
    }

    @Test("tcp: connected while Apache runs, refused when it is stopped")
    func tcpCheck() async throws {
        let (address, port) = Lab.httpEndpoint("LAB_PRIMARY_HTTP")
        let probe = Self.factory.probe(for: CheckSettings(name: "tcp", timeout: .seconds(1), kind: .tcp(TCPCheckSettings(
            connectTo: LifeboatConfig.SocketAddress(address: IPAddress(address)!, port: port)))), maxLag: nil)
        #expect(await probe.run().success)
        try Lab.fault(.primaryHTTP)
        defer { Standby.heal(.primaryHTTP) }
        #expect(await probe.run().reason == .refused)
    }

    @Test("lag_query: the age it returns is judged against max_lag")
    func lagQuery() async {
        func probe(_ query: String) -> any Probe {
            let endpoint = MySQLEndpoint(host: "127.0.0.1", port: Int(Lab.value("LAB_STANDBY_MYSQL_PORT"))!, socket: nil,
                                         user: Lab.value("LAB_MYSQL_USER"), passwordFile: Lab.value("LAB_MYSQL_PASSWORD_FILE"), database: Lab.value("LAB_DB"))
            return Self.factory.probe(for: CheckSettings(name: "dump", timeout: .seconds(2), kind: .mysql(MySQLCheckSettings(
                endpoint: endpoint, query: "SELECT 1", replication: false, lagQuery: query))), maxLag: .seconds(60))
        }
        let fresh = await probe("SELECT 30").run()
        #expect(fresh.success && fresh.lagSeconds == 30, "\(fresh)")
        let stale = await probe("SELECT UNIX_TIMESTAMP() - UNIX_TIMESTAMP() + 3600").run()
        #expect(stale.reason == .lagExceeded && stale.lagSeconds == 3600, "\(stale)")
        #expect(await probe("SELECT NULL").run().reason == .lagUnknown)
    }

    @Test("a listener that accepts and never answers: timeout within bounds, HTTP and MySQL")
    func hungServer() async throws {
        let listener = try LoopbackListener()
        let settings = HTTPCheckSettings(
            url: "http://www.example.com/", connectTo: LifeboatConfig.SocketAddress(address: IPAddress("127.0.0.1")!, port: listener.port),
            expectStatus: [], expectBody: nil, expectBodyRegex: nil, caFile: nil, insecure: false)
        let http = await Self.factory.probe(for: CheckSettings(name: "hung", timeout: .milliseconds(500), kind: .http(settings)), maxLag: nil).run()
        #expect(http.reason == .timeout && http.duration >= .milliseconds(450) && http.duration <= .milliseconds(550), "\(http)")
        let endpoint = MySQLEndpoint(host: "127.0.0.1", port: Int(listener.port), socket: nil, user: "x",
                                     passwordFile: Lab.value("LAB_MYSQL_PASSWORD_FILE"), database: nil)
        let mysql = await Self.factory.probe(for: CheckSettings(name: "hung-db", timeout: .seconds(1), kind: .mysql(
            MySQLCheckSettings(endpoint: endpoint, query: "SELECT 1", replication: false, lagQuery: nil))), maxLag: nil).run()
        #expect(mysql.reason == .timeout, "\(mysql)")
    }

    /// Every other SYN to the witness's port is dropped (an nftables counter of the test's own
    /// table, so the first SYN of each run is the lost one). The kernel resends a SYN after 1 s:
    /// a check with a 900 ms timeout failed every other run before it connected afresh itself.
    @Test("the first SYN of every run lost: a 900 ms HTTP check connects afresh and passes every run")
    func lostSYN() async throws {
        let port = Lab.httpEndpoint("LAB_WITNESS_HTTP").port
        let table = "lifeboat_test_syn_\(getpid())"
        let script = """
            add table inet \(table)
            add chain inet \(table) output { type filter hook output priority 0; policy accept; }
            add rule inet \(table) output ip daddr 127.0.0.1 tcp dport \(port) tcp flags & (syn | ack) == syn numgen inc mod 2 == 0 drop
            """
        let added = Lab.run("/bin/sh", ["-c", "printf '%s\\n' \"$0\" | nft -f -", script])
        try #require(added.status == 0, "nft: \(added.output)")
        defer { _ = Lab.run("/usr/sbin/nft", ["delete", "table", "inet", table]) }
        let probe = Self.http("LAB_WITNESS_HTTP", timeout: .milliseconds(900))
        for run in 1...6 {
            let result = await probe.run()
            #expect(result.success && result.message.hasSuffix("(connected on try 2)"), "run \(run): \(result)")
        }
        let listed = Lab.run("/usr/sbin/nft", ["list", "table", "inet", table]).output
        #expect(listed.contains("numgen inc mod 2 0 drop"), "the rule dropped: \(listed)")
    }

    /// Checks on a silent server (it accepts and never speaks) wait on the loop, not on threads:
    /// a healthy check finishes while every one of them still waits. On the previous pool of four
    /// threads, the healthy check queued behind them and finished after several had timed out.
    @Test("a healthy MySQL check finishes while 20 checks wait on a silent server")
    func silentServersBlockNothing() async throws {
        let listener = try LoopbackListener(backlog: 64)
        let endpoint = MySQLEndpoint(host: "127.0.0.1", port: Int(listener.port), socket: nil, user: "x",
                                     passwordFile: Lab.value("LAB_MYSQL_PASSWORD_FILE"), database: nil)
        let silent = (0..<20).map { index in
            Self.factory.probe(for: CheckSettings(name: "silent-\(index)", timeout: .seconds(3), kind: .mysql(
                MySQLCheckSettings(endpoint: endpoint, query: "SELECT 1", replication: false, lagQuery: nil))), maxLag: nil)
        }
        let finished = NIOLockedValueBox(0)
        let waiting = Task {
            await withTaskGroup(of: Void.self) { group in
                for probe in silent {
                    group.addTask {
                        let result = await probe.run()
                        #expect(result.reason == .timeout, "\(result)")
                        finished.withLockedValue { $0 += 1 }
                    }
                }
            }
        }
        // Once all 20 are connected (accepted, then never spoken to), they are all waiting.
        #expect(await eventually(within: .seconds(10)) { listener.acceptPending() >= 20 })
        let healthy = await Self.mysql(port: "LAB_PRIMARY_MYSQL_PORT").run()
        let doneMeanwhile = finished.withLockedValue { $0 }
        #expect(healthy.success, "\(healthy)")
        #expect(doneMeanwhile == 0, "\(doneMeanwhile) silent checks ended before the healthy one")
        await waiting.value
        #expect(finished.withLockedValue { $0 } == 20)
    }

    @Test("MariaDB stopped: refused")
    func mysqlStopped() async throws {
        try Lab.fault(.primaryMySQL)
        defer { Standby.heal(.primaryMySQL) }
        let result = await Self.mysql(port: "LAB_PRIMARY_MYSQL_PORT").run()
        #expect(result.reason == .refused, "\(result)")
    }

    @Test("a wrong password: auth")
    func wrongPassword() async throws {
        let file = NSTemporaryDirectory() + "lifeboat-wrong-\(UUID().uuidString).pw"
        try "not-the-password\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = await Self.mysql(port: "LAB_PRIMARY_MYSQL_PORT", passwordFile: file).run()
        #expect(result.reason == .auth && result.message.contains("Access denied"), "\(result)")
    }

    @Test("replication stopped: replication_stopped")
    func replicationStopped() async throws {
        try Lab.fault(.replication)
        defer { Standby.heal(.replication) }
        let result = await Self.mysql(port: "LAB_STANDBY_MYSQL_PORT", replication: true).run()
        #expect(result.reason == .replicationStopped && result.message.hasPrefix("replication stopped (IO No, SQL No)"), "\(result)")
    }

    @Test("a delayed replica: lag_exceeded")
    func lagExceeded() async throws {
        _ = Self.sql("standby", "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=30; START SLAVE")
        defer { _ = Self.sql("standby", "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=0; START SLAVE") }
        _ = Self.sql("primary", "INSERT INTO drupal.main_node (type, title) VALUES ('page', 'lag test')")
        let probe = Self.mysql(port: "LAB_STANDBY_MYSQL_PORT", replication: true, maxLag: .seconds(2))
        var last: ProbeResult?
        for _ in 0..<80 where last?.reason != .lagExceeded {
            last = await probe.run()
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(last?.reason == .lagExceeded && (last?.lagSeconds ?? 0) > 2, "\(String(describing: last))")
    }

    @Test("one connection per MySQL check, kept across runs")
    func noChurn() async {
        let count = { Int(Self.sql("primary", "SHOW GLOBAL STATUS LIKE 'Connections'").split(separator: "\t").last?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0 }
        let probe = Self.mysql(port: "LAB_PRIMARY_MYSQL_PORT")
        _ = await probe.run()
        let before = count()
        for _ in 0..<10 { _ = await probe.run() }
        // Each `count()` is itself one root connection.
        #expect(count() - before == 1, "ten runs opened connections")
    }

    @Test("TLS with a self-signed certificate: tls; trusted with ca_file, with days until expiry")
    func tls() async throws {
        let directory = NSTemporaryDirectory() + "lifeboat-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let made = Lab.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=www.example.com",
                                                "-addext", "subjectAltName=DNS:www.example.com", "-keyout", "\(directory)/key.pem", "-out", "\(directory)/cert.pem"])
        #expect(made.status == 0, "\(made.output)")
        let port = try LoopbackListener.closedPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "\(directory)/cert.pem", "-key", "\(directory)/key.pem", "-www", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL) }
        let connect = LifeboatConfig.SocketAddress(address: IPAddress("127.0.0.1")!, port: port)
        func probe(_ caFile: String?) -> any Probe {
            Self.factory.probe(for: CheckSettings(name: "tls", timeout: .seconds(2), kind: .http(HTTPCheckSettings(
                url: "https://www.example.com/", connectTo: connect, expectStatus: [], expectBody: nil, expectBodyRegex: nil,
                caFile: caFile, insecure: false))), maxLag: nil)
        }
        _ = await eventually { (try? CurlEasy().perform(HTTPRequest(url: "https://www.example.com/", connectAddress: "127.0.0.1", connectPort: port, verifyTLS: false))) != nil }
        let untrusted = await probe(nil).run()
        #expect(untrusted.reason == .tls, "\(untrusted)")
        let insecure = await Self.factory.probe(for: CheckSettings(name: "tls", timeout: .seconds(2), kind: .http(HTTPCheckSettings(
            url: "https://www.example.com/", connectTo: connect, expectStatus: [], expectBody: nil, expectBodyRegex: nil,
            caFile: nil, insecure: true))), maxLag: nil).run()
        #expect(insecure.success, "insecure = true skips verification: \(insecure)")
        let trusted = await probe("\(directory)/cert.pem").run()
        #expect(trusted.success, "\(trusted)")
        #expect(trusted.certificateDaysLeft == 29 || trusted.certificateDaysLeft == 30, "\(String(describing: trusted.certificateDaysLeft))")
    }

    @Test("hysteresis end to end: two failed rounds then a success never mark the site down (fall 3)")
    func hysteresisAgainstTheLab() async throws {
        var board = HealthBoard<String>()
        board.add(check: "web", owner: .site(service: "www", site: .primary), fall: 3, rise: 1)
        let probe = Self.http("LAB_PRIMARY_HTTP")
        var states: [HealthState] = []
        for _ in 0..<3 {
            try Lab.fault(.primaryHTTP500)
            for _ in 0..<2 {
                _ = board.record(check: "web", success: await probe.run().success)
                states.append(board.state(service: "www", site: .primary))
            }
            try Lab.heal(.primaryHTTP500)
            _ = board.record(check: "web", success: await probe.run().success)
            states.append(board.state(service: "www", site: .primary))
        }
        #expect(!states.contains(.down), "\(states)")
        try Lab.fault(.primaryHTTP500)
        defer { Standby.heal(.primaryHTTP500) }
        for _ in 0..<3 { _ = board.record(check: "web", success: await probe.run().success) }
        #expect(board.state(service: "www", site: .primary) == .down, "three failures in a row do")
    }

    @Test("`lifeboat check` exits 0 when the primary is up, 1 when it is down")
    func checkCommand() throws {
        let lifeboat = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lifeboat").path
        let unstarted = try LabDaemon()  // examples/lab.toml, pointed at this test's lab
        defer { withExtendedLifetime(unstarted) {} }  // its directory holds the config
        let config = unstarted.config
        let healthy = Lab.run(lifeboat, ["check", "--config", config])
        #expect(healthy.status == 0, "\(healthy.output)")
        #expect(healthy.output.contains("primary-web") && healthy.output.contains("standby-db") && healthy.output.contains("witness-web"))
        try Lab.fault(.primaryMySQL)
        defer { Standby.heal(.primaryMySQL) }
        let down = Lab.run(lifeboat, ["check", "--config", config, "--json"])
        #expect(down.status == 1, "\(down.output)")
        let rows = ((try? JSONSerialization.jsonObject(with: Data(down.output.utf8))) as? [String: Any])?["checks"] as? [[String: Any]] ?? []
        #expect(rows.first { $0["check"] as? String == "primary-db" }?["reason"] as? String == "refused")
        #expect(Lab.run(lifeboat, ["check", "--config", config, "--service", "nope"]).status == 2)
    }
}
}
