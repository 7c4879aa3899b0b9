import Foundation
import LifeboatConfig
import NativeClients
import NIOPosix
import Probes
import SystemIO

/// Do long commands (a resync) delay the MySQL checks? Runs COUNT MySQL checks at 1 s through
/// Lifeboat's ProbeScheduler on the daemon's 4-thread pool while COMMANDS copies of `sleep
/// SECONDS` run, once the previous way (ChildProcess on that same pool, as CommandRunner did up
/// to 42df69e) and once the way the daemon runs them now (swift-subprocess, `Command.run`).
/// For each: check runs against the 1 s grid, missed slots, and how late results arrive.
///   command-bench PORT USER PASSWORD_FILE DATABASE COUNT COMMANDS SECONDS
@main
struct CommandBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count == 7, let port = Int(arguments[0]), let count = Int(arguments[4]), let commands = Int(arguments[5]),
              let seconds = Int(arguments[6])
        else {
            print("usage: command-bench PORT USER PASSWORD_FILE DATABASE COUNT COMMANDS SECONDS")
            return
        }
        let endpoint = MySQLEndpoint(host: "127.0.0.1", port: port, socket: nil, user: arguments[1], passwordFile: arguments[2], database: arguments[3])
        var results: [String: Report] = [:]
        for way in ["previous", "now"] {
            let report = try await measure(way: way, endpoint: endpoint, checks: count, commands: commands, seconds: seconds)
            results[way] = report
            print(String(format: "%-8@ %d MySQL checks at 1 s, %d × `sleep %d`: runs %d of %d slots (%d missed), failures %d, result lateness p50 %.1f ms p99 %.1f ms max %.1f ms",
                         way, count, commands, seconds, report.runs, report.slots, max(0, report.slots - report.runs), report.failures,
                         report.p50, report.p99, report.max))
        }
        if let previous = results["previous"], let now = results["now"] {
            print(String(format: "ratio previous/now: max result lateness %.1f×, missed slots %d vs %d",
                         previous.max / max(now.max, 0.001), max(0, previous.slots - previous.runs), max(0, now.slots - now.runs)))
        }
    }

    static func measure(way: String, endpoint: MySQLEndpoint, checks: Int, commands: Int, seconds: Int) async throws -> Report {
        let pool = NIOThreadPool(numberOfThreads: 4)  // the daemon's pool (DaemonRuntime) when this bench was written
        pool.start()
        // The checks stay on that pool in both ways: this bench compares how commands run.
        let factory = ProbeFactory(curl: try CurlMulti(), mysql: PooledMySQLConnector(pool: pool), group: MultiThreadedEventLoopGroup.singleton)
        let stats = Stats()
        let entries: [ProbeScheduler.Entry] = (0..<checks).map { index in
            let check = CheckSettings(name: "mysql\(index)", timeout: .seconds(2), kind: .mysql(MySQLCheckSettings(
                endpoint: endpoint, query: "SELECT 1", replication: false, lagQuery: nil)))
            return .init(probe: TimedProbe(probe: factory.probe(for: check, maxLag: nil), stats: stats), interval: .seconds(1))
        }
        let scheduler = ProbeScheduler(entries)
        let checking = Task { await scheduler.run { result, lateness in await stats.reported(result, late: lateness); return .normal } }
        try await Task.sleep(for: .seconds(2))  // warm-up: connections opened
        await stats.reset()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<commands {
                group.addTask {
                    let command = ["sleep", String(seconds)]
                    if way == "previous" {
                        _ = try? await pool.runIfActive { try ChildProcess.run(command, timeout: .seconds(seconds + 30)) }
                    } else {
                        _ = try? await Command.run(command, timeout: .seconds(seconds + 30))
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        checking.cancel()
        await checking.value
        try await pool.shutdownGracefully()
        return await stats.report(slots: checks * Int(elapsed.components.seconds + (elapsed.components.attoseconds >= 500_000_000_000_000_000 ? 1 : 0)))
    }
}

/// A probe whose results are timed from the moment the scheduler starts it: a run queued
/// behind a busy pool shows up here, not in the scheduler's start lateness.
struct TimedProbe: Probe {
    let probe: any Probe
    let stats: Stats
    var name: String { probe.name }

    func run() async -> ProbeResult {
        let start = ContinuousClock.now
        let result = await probe.run()
        await stats.finished(result, after: ContinuousClock.now - start)
        return result
    }
}

struct Report {
    var runs: Int
    var slots: Int
    var failures: Int
    var p50: Double
    var p99: Double
    var max: Double
}

/// Results of one way: each run's start lateness plus its time to a result.
actor Stats {
    private var elapsed: [String: Double] = [:]
    private var lateness: [Double] = []
    private var failures = 0

    /// From the probe: how long the run took to give a result (queueing included).
    func finished(_ result: ProbeResult, after time: Duration) {
        elapsed[result.check] = time.milliseconds
    }

    /// From the scheduler, right after that run: how late it started.
    func reported(_ result: ProbeResult, late: Duration) {
        lateness.append((elapsed[result.check] ?? 0) + late.milliseconds)
        if !result.success { failures += 1 }
    }

    func reset() {
        lateness = []
        failures = 0
    }

    func report(slots: Int) -> Report {
        let sorted = lateness.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return Report(runs: sorted.count, slots: slots, failures: failures, p50: percentile(0.5), p99: percentile(0.99), max: sorted.last ?? 0)
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
