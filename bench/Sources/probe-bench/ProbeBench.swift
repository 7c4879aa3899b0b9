import Foundation
import LifeboatConfig
import NativeClients
import NIOPosix
import Probes

/// Runs N copies of one check at an interval for a while through Lifeboat's ProbeScheduler and
/// reports CPU, lateness of run starts, failures and RSS.
///   probe-bench http CONNECT_TO URL COUNT SECONDS
///   probe-bench mysql PORT USER PASSWORD_FILE DATABASE COUNT SECONDS
///   probe-bench mysql-silent PORT SILENT_PORT USER PASSWORD_FILE DATABASE SILENT CONNECTOR COUNT SECONDS
/// The last: COUNT MySQL checks of which SILENT point at SILENT_PORT (a blackholed port: connects
/// time out), timeout 2 s, through CONNECTOR `loop` (MariaDBLoop, now) or `pool` (blocking calls
/// on a 4-thread pool, as before); lateness and failures are the healthy checks'.
@main
struct ProbeBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let kind = arguments.first, let seconds = Int(arguments.last ?? ""), let count = Int(arguments[arguments.count - 2]) else {
            print("usage: probe-bench http CONNECT_TO URL COUNT SECONDS | mysql PORT USER PASSWORD_FILE DATABASE COUNT SECONDS")
            return
        }
        let curl = try CurlMulti()
        let silent = kind == "mysql-silent" ? Int(arguments[6]) ?? 0 : 0
        let connector: any MySQLConnector
        if kind == "mysql-silent" && arguments[7] == "pool" {
            let pool = NIOThreadPool(numberOfThreads: 4)  // the daemon's pool before MariaDBLoop
            pool.start()
            connector = PooledMySQLConnector(pool: pool)
        } else {
            connector = try MariaDBLoop()
        }
        let factory = ProbeFactory(curl: curl, mysql: connector, group: MultiThreadedEventLoopGroup.singleton)
        let entries: [ProbeScheduler.Entry] = (0..<count).map { index in
            let check: CheckSettings
            if kind == "mysql-silent" {
                let port = index < silent ? Int(arguments[2])! : Int(arguments[1])!
                check = CheckSettings(name: index < silent ? "silent\(index)" : "mysql\(index)", timeout: .seconds(2), kind: .mysql(MySQLCheckSettings(
                    endpoint: MySQLEndpoint(host: "127.0.0.1", port: port, socket: nil, user: arguments[3],
                                            passwordFile: arguments[4], database: arguments[5]),
                    query: "SELECT 1", replication: false, lagQuery: nil)))
            } else if kind == "http" {
                check = CheckSettings(name: "http\(index)", timeout: .seconds(2), kind: .http(HTTPCheckSettings(
                    url: arguments[2], connectTo: SocketAddress(arguments[1])!, expectStatus: [], expectBody: "site=",
                    expectBodyRegex: nil, caFile: nil, insecure: false)))
            } else {
                check = CheckSettings(name: "mysql\(index)", timeout: .seconds(2), kind: .mysql(MySQLCheckSettings(
                    endpoint: MySQLEndpoint(host: "127.0.0.1", port: Int(arguments[1])!, socket: nil, user: arguments[2],
                                            passwordFile: arguments[3], database: arguments[4]),
                    query: "SELECT 1", replication: false, lagQuery: nil)))
            }
            return .init(probe: factory.probe(for: check, maxLag: nil), interval: .seconds(1))
        }
        let stats = Stats()
        let scheduler = ProbeScheduler(entries)
        let task = Task { await scheduler.run { result, lateness in await stats.add(result, lateness); return .normal } }
        // The first interval is warm-up (connections opened, caches warm); measure after it.
        try await Task.sleep(for: .seconds(2))
        await stats.reset()
        let cpuBefore = cpuSeconds()
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(seconds))
        let cpu = cpuSeconds() - cpuBefore
        let elapsed = ContinuousClock.now - started
        task.cancel()
        let report = await stats.report()
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let label = kind == "mysql-silent" ? "mysql \(arguments[7]) (\(count - silent) healthy + \(silent) silent)" : kind
        print(String(format: "%@ checks %d at 1s for %ds: runs %d, failures %d %@, CPU %.1f %% of one core, lateness p50 %.1f ms p99 %.1f ms max %.1f ms, RSS %d MiB",
                     label, count, seconds, report.runs, report.failures, report.reasons, 100 * cpu / wall,
                     report.p50, report.p99, report.max, residentMiB()))
        curl.shutdown()
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func residentMiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}

/// Collected results.
actor Stats {
    private var lateness: [Double] = []
    private var failures: [String: Int] = [:]
    private var runs = 0

    func add(_ result: ProbeResult, _ late: Duration) {
        guard !result.check.hasPrefix("silent") else { return }  // only the healthy checks are judged
        runs += 1
        lateness.append(Double(late.components.seconds) * 1000 + Double(late.components.attoseconds) / 1e15)
        if !result.success { failures[result.reason?.rawValue ?? "?", default: 0] += 1 }
    }

    func reset() {
        lateness = []
        failures = [:]
        runs = 0
    }

    func report() -> (runs: Int, failures: Int, reasons: String, p50: Double, p99: Double, max: Double) {
        let sorted = lateness.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return (runs, failures.values.reduce(0, +), failures.isEmpty ? "" : "\(failures)", percentile(0.5), percentile(0.99), sorted.last ?? 0)
    }
}
