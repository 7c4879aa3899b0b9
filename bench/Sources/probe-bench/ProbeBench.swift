import Foundation
import LifeboatConfig
import NativeClients
import NIOPosix
import Probes

/// Runs N copies of one check at an interval for a while through Lifeboat's ProbeScheduler and
/// reports CPU, lateness of run starts, failures and RSS.
///   probe-bench http CONNECT_TO URL COUNT SECONDS
///   probe-bench mysql PORT USER PASSWORD_FILE DATABASE COUNT SECONDS
@main
struct ProbeBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let kind = arguments.first, let seconds = Int(arguments.last ?? ""), let count = Int(arguments[arguments.count - 2]) else {
            print("usage: probe-bench http CONNECT_TO URL COUNT SECONDS | mysql PORT USER PASSWORD_FILE DATABASE COUNT SECONDS")
            return
        }
        let curl = try CurlMulti()
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        let factory = ProbeFactory(curl: curl, pool: pool, group: MultiThreadedEventLoopGroup.singleton)
        let entries: [ProbeScheduler.Entry] = (0..<count).map { index in
            let check: CheckSettings
            if kind == "http" {
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
        print(String(format: "%@ checks %d at 1s for %ds: runs %d, failures %d %@, CPU %.1f %% of one core, lateness p50 %.1f ms p99 %.1f ms max %.1f ms, RSS %d MiB",
                     kind, count, seconds, report.runs, report.failures, report.reasons, 100 * cpu / wall,
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
