import ArgumentParser
import LifeboatConfig
import LifeboatCore
import NativeClients
import NIOPosix
import Probes
import StandbyActions

/// `lifeboat check`: run every check once and show what each one says.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run every check and the read-only preflight once and print the results.",
        discussion: """
            One run, no hysteresis: what each check says right now, and whether each read-only step \
            could run on the standby now (its tables and columns, the database user's privileges, \
            apache_configtest). Exit codes: 0 every primary check passed and every preflight is ok, \
            1 a primary check or a preflight failed, 2 configuration error or unknown service.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "Only this service (witnesses are always run).")
    var service: String?

    @Flag(help: "Print JSON: {checks: [{service, site, check, success, reason, message, duration_ms, ...}], preflight: [{service, ok, problems, notes, sites: [{name, step, tables, shared}]}]}.")
    var json = false

    func run() async throws {
        let configuration: LifeboatConfiguration
        do {
            configuration = try ConfigLoader.load(path: options.config)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let services = configuration.services.filter { service == nil || $0.name == service }
        if let service, services.isEmpty {
            printError("no service named \"\(service)\" in \(options.config) (services: \(configuration.services.map(\.name).joined(separator: ", ")))")
            throw ExitCode(2)
        }
        let keys = Dictionary(uniqueKeysWithValues: configuration.services.enumerated().map { ($1.name, "service[\($0)]") })
        let (rows, preflights) = try await CheckRun.run(services: services, keys: keys, witnesses: configuration.witnessChecks)
        print(json ? CheckReport.json(rows, preflights: preflights) : CheckReport.table(rows) + "\n\n" + CheckReport.table(preflights))
        if rows.contains(where: { $0.site == "primary" && !$0.result.success }) || preflights.contains(where: { !$0.report.ok }) {
            throw ExitCode(1)
        }
    }

    private func printError(_ text: String) {
        var standardError = StandardError()
        print(text, to: &standardError)
    }
}

/// One line of `lifeboat check`'s output.
struct CheckRow: Sendable {
    let service: String
    let site: String
    let result: ProbeResult
}

/// One service's preflight in `lifeboat check`.
struct PreflightRow: Sendable {
    let service: String
    let report: PreflightReport
}

/// Runs the checks of some services and the witnesses once, concurrently, then the preflights.
enum CheckRun {
    static func run(
        services: [ServiceSettings], keys: [String: String], witnesses: [CheckSettings]
    ) async throws -> ([CheckRow], [PreflightRow]) {
        let curl = try CurlMulti()
        let mysql = try MariaDBLoop()
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { curl.shutdown(); mysql.shutdown() }
        let factory = ProbeFactory(curl: curl, mysql: mysql, group: group)
        var jobs: [(service: String, site: String, probe: any Probe)] = []
        for service in services {
            for (site, settings) in [("primary", service.primary), ("standby", service.standby)] {
                for check in settings.checks {
                    jobs.append((service.name, site, factory.probe(for: check, maxLag: service.maxLag)))
                }
            }
        }
        for check in witnesses { jobs.append(("-", "witness", factory.probe(for: check, maxLag: nil))) }
        let results = await withTaskGroup(of: (Int, ProbeResult).self) { tasks in
            for (index, job) in jobs.enumerated() {
                tasks.addTask { (index, await job.probe.run()) }
            }
            var results = [ProbeResult?](repeating: nil, count: jobs.count)
            for await (index, result) in tasks { results[index] = result }
            return results
        }
        var preflights: [PreflightRow] = []
        for service in services {
            preflights.append(PreflightRow(
                service: service.name,
                report: await StandbyExecutor.preflight(service: service, serviceKey: keys[service.name] ?? "service", pool: pool)))
        }
        try? await pool.shutdownGracefully()
        try? await group.shutdownGracefully()
        return (jobs.enumerated().map { CheckRow(service: $1.service, site: $1.site, result: results[$0]!) }, preflights)
    }
}

/// Where diagnostics go.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleLite.writeStandardError(string)
    }
}
