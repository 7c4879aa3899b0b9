import Foundation
import LifeboatTestSupport
import Testing
import Glibc
import LifeboatCore
import NativeClients
import SystemIO

/// A real `lifeboatd` pointed at the lab with `examples/lab.toml` (interval 1 s, fall 3, TTL 5 s,
/// holddown 10 s), on free ports and with its own state directory, plus what tests ask of it.
final class LabDaemon: @unchecked Sendable {
    /// Changes to examples/lab.toml, each a whole `key = value` line.
    struct Options {
        var failback = "manual"
        var preset = "drupal7"
        var minFailoverInterval = "10m"
        var maxLag = "30s"
        var ttl = 5
        var drainGrace = "2s"
        var holddown = "10s"
        /// TOML appended to the configuration (e.g. `[[notify]]` tables).
        var extra = ""
        /// Lines added to the `[[service]]` table (e.g. `resolvers = [...]`).
        var serviceExtra = ""
        /// Lines added to the `[dns]` table (e.g. `notify = [...]`).
        var dnsExtra = ""
        /// Further whole-text replacements in examples/lab.toml.
        var replacements: [(String, String)] = []
        /// Start with this soft open-file limit (as a unit without LimitNOFILE would: 1024).
        var softFileLimit: Int?
        /// The loopback address its DNS and HTTP listen on (a cluster's sites each have their own).
        var address = "127.0.0.1"
    }

    let directory: String
    let config: String
    let log: String
    let dnsPort: Int
    let httpPort: Int
    let softFileLimit: Int?
    let address: String
    private(set) var pid: pid_t = 0

    static var buildDirectory: String { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path }

    init(_ options: Options = Options()) throws {
        directory = NSTemporaryDirectory() + "lifeboat-e2e-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let dnsPort = FreePort.tcpAndUDP()
        var httpPort = FreePort.tcpAndUDP()
        while httpPort == dnsPort { httpPort = FreePort.tcpAndUDP() }
        self.dnsPort = dnsPort
        self.httpPort = httpPort
        softFileLimit = options.softFileLimit
        address = options.address
        config = "\(directory)/lifeboat.toml"
        log = "\(directory)/lifeboatd.log"
        var text = try String(contentsOfFile: "\(Lab.repositoryRoot)/examples/lab.toml", encoding: .utf8)
        let replacements: [(String, String)] = [
            ("state_dir = \"/tmp/lifeboat-lab/state\"", "state_dir = \"\(directory)/state\""),
            ("zones_dir = \"../zones\"", "zones_dir = \"\(Lab.repositoryRoot)/zones\""),
            ("listen = [\"127.0.0.1:5353\"]", "listen = [\"\(options.address):\(dnsPort)\"]"),
            ("listen = \"127.0.0.1:8053\"", "listen = \"\(options.address):\(httpPort)\""),
            ("failback = \"manual\"", "failback = \"\(options.failback)\""),
            ("preset = \"drupal7\"", "preset = \"\(options.preset)\""),
            ("min_failover_interval = \"10m\"", "min_failover_interval = \"\(options.minFailoverInterval)\""),
            ("max_lag = \"30s\"", "max_lag = \"\(options.maxLag)\""),
            ("ttl = 5", "ttl = \(options.ttl)"),
            ("drain_grace = \"2s\"", "drain_grace = \"\(options.drainGrace)\""),
            ("holddown = \"10s\"", "holddown = \"\(options.holddown)\""),
            ("name = \"www\"", "name = \"www\"\n" + options.serviceExtra),
            ("allow_transfer = [\"127.0.0.1\"]", "allow_transfer = [\"127.0.0.1\"]\n" + options.dnsExtra),
        ] + options.replacements
        for (old, new) in replacements {
            guard text.contains(old) else { throw DaemonError(message: "examples/lab.toml no longer has \(old)") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        // examples/lab.toml describes the default lab; this test's lab may have its own
        // directory and ports (scripts/test runs groups on labs side by side).
        let labRewrites: [(String, String)] = [
            ("/tmp/lifeboat-lab/", Lab.value("LAB_DIR") + "/"),
            ("127.0.0.1:8081", Lab.value("LAB_PRIMARY_HTTP")), ("127.0.0.1:8082", Lab.value("LAB_STANDBY_HTTP")),
            ("127.0.0.1:8083", Lab.value("LAB_WITNESS_HTTP")),
            ("port = 3307", "port = \(Lab.value("LAB_PRIMARY_MYSQL_PORT"))"), ("port = 3308", "port = \(Lab.value("LAB_STANDBY_MYSQL_PORT"))"),
        ]
        for (old, new) in labRewrites { text = text.replacingOccurrences(of: old, with: new) }
        try (text + "\n" + options.extra).write(toFile: config, atomically: true, encoding: .utf8)
    }

    deinit {
        if pid > 0 { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A daemon started and seen healthy (both sites up).
    static func healthy(_ options: Options = Options()) async throws -> LabDaemon {
        let daemon = try LabDaemon(options)
        try await daemon.start()
        guard await daemon.waitHealthy() else { throw DaemonError(message: "the sites never became healthy: \(daemon.logText.suffix(2000))") }
        return daemon
    }

    /// Starts lifeboatd (output appended to `log`) and waits for its API to answer.
    func start(environment: [String] = []) async throws {
        let variables = ["LIFEBOAT_LOG_LEVEL=info", "LIFEBOAT_TEST_CRASH_AT=", "LIFEBOAT_TEST_CRASH_WHEN="] + environment
        let command = ["\(Self.buildDirectory)/lifeboatd", "--config", config]
        // prlimit execs the daemon: the pid stays the daemon's.
        let launcher = softFileLimit.map { ["/usr/bin/prlimit", "--nofile=\($0):", "--"] } ?? []
        pid = try ChildProcess.start(launcher + command, environment: variables, outputPath: log)
        let answered = await eventually(within: .seconds(15)) { (try? self.status()) != nil }
        guard answered else { throw DaemonError(message: "lifeboatd did not answer: \(logText)") }
    }

    /// SIGTERM, then waits for the exit; returns the exit status.
    @discardableResult
    func stop() -> Int32? {
        guard pid > 0 else { return nil }
        kill(pid, SIGTERM)
        return waitForExit(within: .seconds(20))
    }

    /// Waits for the daemon to exit by itself (e.g. killed at a crash point); 128+signal when killed.
    func waitForExit(within limit: Duration) -> Int32? {
        let deadline = ContinuousClock.now + limit
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                pid = 0
                return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            }
            usleep(20_000)
        }
        return nil
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    // MARK: - Asking it

    /// A raw HTTP call: a GET, or a JSON POST with `authorization` as the whole header value.
    func request(_ path: String, post: String? = nil, authorization: String? = nil) throws -> (status: Int, body: Data) {
        var headers = post == nil ? [] : ["Content-Type: application/json"]
        if let authorization { headers.append("Authorization: \(authorization)") }
        let response = try CurlEasy().perform(HTTPRequest(
            url: "http://\(address):\(httpPort)\(path)", timeout: .seconds(5), headers: headers, maxBodyBytes: 4 << 20, postBody: post))
        return (response.status, Data(response.body))
    }

    /// `Bearer <the lab's token>`.
    static func authorization() throws -> String { "Bearer " + (try SecretFile.read(Lab.value("LAB_TOKEN_FILE"))) }

    private func api(_ path: String, post: String? = nil) throws -> (Int, Data) {
        try request(path, post: post, authorization: post == nil ? nil : try Self.authorization())
    }

    /// The service `www` as the API reports it.
    func status() throws -> ServiceStatus {
        let (code, body) = try api("/api/v1/services/www")
        guard code == 200 else { throw DaemonError(message: "status answered \(code)") }
        return try APIJSON.decoder().decode(ServiceStatus.self, from: body)
    }

    /// The whole report (`/api/v1/status`).
    func report() throws -> StatusReport {
        let (code, body) = try api("/api/v1/status")
        guard code == 200 else { throw DaemonError(message: "status answered \(code)") }
        return try APIJSON.decoder().decode(StatusReport.self, from: body)
    }

    /// The history entries of `www`, newest first.
    /// When the check named `check` (of either site) last ran, as the status says.
    func lastRun(of check: String) -> Date? {
        guard let status = try? status() else { return nil }
        return (status.primary.checks + status.standby.checks).first { $0.name == check }?.last?.at
    }

    /// Waits until `count` more runs of `check` are recorded: the positive sign that the daemon
    /// watched for that long, before a test asserts that nothing happened.
    func waitForRuns(of check: String, count: Int, within limit: Duration = .seconds(15)) async -> Bool {
        var seen = Set<Date>()
        if let last = lastRun(of: check) { seen.insert(last) }
        var fresh = 0
        return await eventually(within: limit) {
            if let last = lastRun(of: check), seen.insert(last).inserted { fresh += 1 }
            return fresh >= count
        }
    }

    func history() throws -> [HistoryEntry] {
        try APIJSON.decoder().decode([HistoryEntry].self, from: api("/api/v1/history?service=www&limit=2000").1)
    }

    /// A control call through the API.
    func command(_ kind: OperatorCommandKind, force: Bool = false, reason: String = "e2e test") throws -> CommandResponse {
        let body = "{\"force\": \(force), \"reason\": \"\(reason)\", \"by\": \"e2e\"}"
        return try APIJSON.decoder().decode(CommandResponse.self, from: api("/api/v1/services/www/\(kind.rawValue)", post: body).1)
    }

    /// Runs the `lifeboat` CLI against this daemon.
    func cli(_ arguments: String...) -> (status: Int32, output: String) {
        Lab.run("\(Self.buildDirectory)/lifeboat", arguments + ["--config", config])
    }

    /// `dig +short` at the daemon: the A records of `name`.
    func addresses(_ name: String = "www.example.com") -> [String] {
        Lab.run("/usr/bin/dig", ["+short", "+time=1", "+tries=1", "-p", "\(dnsPort)", "@\(address)", name, "A"]).output
            .split(separator: "\n").map(String.init).sorted()
    }

    /// The zone's SOA serial as served.
    func serial() -> UInt32? {
        let fields = Lab.run("/usr/bin/dig", ["+short", "+time=1", "+tries=1", "-p", "\(dnsPort)", "@\(address)", "example.com", "SOA"]).output
            .split(separator: " ")
        return fields.count > 2 ? UInt32(fields[2]) : nil
    }

    /// Waits until the service reaches `phase`.
    func waitFor(_ phase: FailoverPhase, within limit: Duration = .seconds(30)) async -> Bool {
        await eventually(within: limit) { (try? self.status().phase) == phase }
    }

    /// Waits until every check of both sites is up (rise 3 at 1 s: about 3 s).
    func waitHealthy(within limit: Duration = .seconds(20)) async -> Bool {
        await eventually(within: limit) {
            guard let status = try? self.status() else { return false }
            return status.primary.state == .up && status.standby.state == .up
        }
    }
}

struct DaemonError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// What the standby looks like from outside and inside.
enum Standby {
    static let primaryAddress = ["203.0.113.10"]
    static let standbyAddress = ["198.51.100.20"]
    /// The lab's Drupal sites (scripts/lab): each has its own `<site>_` tables and both share
    /// `shared_users` and `shared_sessions`, as Drupal's prefix array puts it.
    static let sites = ["main", "groups"]
    static let sessions = "shared_sessions"

    static func page() -> String {
        let endpoint = Lab.httpEndpoint("LAB_STANDBY_HTTP")
        let response = try? CurlEasy().perform(HTTPRequest(
            url: "http://www.example.com/", connectAddress: endpoint.address, connectPort: endpoint.port, timeout: .seconds(3)))
        return response.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
    }

    /// What the standby's site is told of its data's age: `lifeboat_data_as_of` as its page shows
    /// the environment, and the `X-Lifeboat-Data-As-Of` header (nil where absent).
    static func dataAsOf() -> (env: Date?, header: Date?, page: String) {
        let page = Standby.page()
        let env = page.split(separator: "\n").first { $0.hasPrefix("lifeboat_data_as_of=") }
            .flatMap { try? Date(String($0.dropFirst("lifeboat_data_as_of=".count)), strategy: .iso8601) }
        let endpoint = Lab.httpEndpoint("LAB_STANDBY_HTTP")
        let headers = Lab.run("/usr/bin/curl", ["-s", "-D", "-", "-o", "/dev/null", "-H", "Host: www.example.com",
                                                "http://\(endpoint.address):\(endpoint.port)/"]).output
        let header = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-lifeboat-data-as-of:") }
            .flatMap { try? Date(String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces), strategy: .iso8601) }
        return (env, header, page)
    }

    /// The status of a login POST to the standby from a non-admin address.
    static func loginPostStatus() -> Int {
        let endpoint = Lab.httpEndpoint("LAB_STANDBY_HTTP")
        let response = try? CurlEasy().perform(HTTPRequest(
            url: "http://www.example.com/user/login", connectAddress: endpoint.address, connectPort: endpoint.port,
            timeout: .seconds(3), headers: ["Content-Type: application/x-www-form-urlencoded"], postBody: "name=alice&pass=alice-pass"))
        return response?.status ?? 0
    }

    static func sql(_ statement: String, on site: String = "standby") -> String {
        Lab.run("/usr/bin/mariadb", ["--defaults-file=\(Lab.value("LAB_DIR"))/mysql/\(site)/client.cnf", "-N", "drupal", "-e", statement])
            .output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func count(_ statement: String) -> Int { Int(sql(statement)) ?? -1 }

    /// `SHOW SLAVE STATUS\G` on the standby, with the field names.
    static func replicaStatus() -> String {
        Lab.run("/usr/bin/mariadb", ["--defaults-file=\(Lab.value("LAB_DIR"))/mysql/standby/client.cnf", "-e", "SHOW SLAVE STATUS\\G"]).output
    }

    static func replicating() -> Bool {
        let status = replicaStatus()
        return status.contains("Slave_IO_Running: Yes") && status.contains("Slave_SQL_Running: Yes")
            && status.contains("Seconds_Behind_Master: 0")
    }

    /// Back to a healthy lab with a fresh standby copy: faults healed, snippet gone, resynced.
    static func reset() {
        do { try resetting() } catch { Issue.record("the lab could not be reset: \(error)") }
    }

    /// Heals `fault` (in a `defer`): a failure fails the test.
    static func heal(_ fault: LabFault) {
        do { try Lab.heal(fault) } catch { Issue.record("\(error)") }
    }

    private static func resetting() throws {
        try Lab.healAll()
        let flag = Lab.value("LAB_STANDBY_FLAG_FILE")
        if FileManager.default.fileExists(atPath: flag) || FileManager.default.fileExists(atPath: brokenConf) {
            try? FileManager.default.removeItem(atPath: flag)
            try? FileManager.default.removeItem(atPath: brokenConf)
            _ = Lab.run(Lab.value("LAB_STANDBY_APACHE_RELOAD"), [])
        }
        try Lab.lab("resync")
    }

    /// A file that makes the standby's Apache configtest fail.
    static var brokenConf: String { URL(fileURLWithPath: Lab.value("LAB_STANDBY_FLAG_FILE")).deletingLastPathComponent().path + "/zz-broken.conf" }
}
