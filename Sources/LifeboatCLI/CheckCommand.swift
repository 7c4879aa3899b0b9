import ArgumentParser
import LifeboatConfig
import LifeboatCore
import NativeClients
import NIOPosix
import Probes

/// `lifeboat check`: run every check once and show what each one says.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run every check once and print the results.",
        discussion: """
            One run, no hysteresis: what each check says right now. Exit codes: 0 every primary check \
            passed, 1 a primary check failed, 2 configuration error or unknown service.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "Only this service (witnesses are always run).")
    var service: String?

    @Flag(help: "Print JSON: an array of {service, site, check, success, reason, message, duration_ms, ...}.")
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
        let rows = try await CheckRun.run(services: services, witnesses: configuration.witnessChecks)
        print(json ? CheckReport.json(rows) : CheckReport.table(rows))
        if rows.contains(where: { $0.site == "primary" && !$0.result.success }) { throw ExitCode(1) }
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

/// Runs the checks of some services and the witnesses once, concurrently.
enum CheckRun {
    static func run(services: [ServiceSettings], witnesses: [CheckSettings]) async throws -> [CheckRow] {
        let curl = try CurlMulti()
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { curl.shutdown() }
        let factory = ProbeFactory(curl: curl, pool: pool, group: group)
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
        try? await pool.shutdownGracefully()
        try? await group.shutdownGracefully()
        return jobs.enumerated().map { CheckRow(service: $1.service, site: $1.site, result: results[$0]!) }
    }
}

/// Where diagnostics go.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleLite.writeStandardError(string)
    }
}
