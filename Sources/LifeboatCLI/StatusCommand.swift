import ArgumentParser
import Foundation
import LifeboatCore

/// `lifeboat status`: where every service stands, from the running daemon.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each service's state, active site, checks and what it is waiting for.",
        discussion: """
            Exit codes: 0 every service is settled (PRIMARY_ACTIVE, STANDBY_ACTIVE or FAILBACK_READY), \
            1 a service is failing over or back, stopped in ERROR, or its read-only preflight fails, 2 usage or configuration error, \
            3 the daemon cannot be reached, 4 (in a cluster, when nothing above applies) coordination lost: the site cannot reach etcd.
            """)

    @OptionGroup var api: APIOptions

    @Option(help: "Only this service.")
    var service: String?

    @Flag(help: "Print the daemon's JSON (/api/v1/status) unchanged.")
    var json = false

    func run() throws {
        let report: StatusReport = try CLIRequest.run {
            let client = try api.client()
            return try CLIRequest.decoded(client.get("/api/v1/status"), printing: json && service == nil)
        }
        let services = report.services.filter { service == nil || $0.name == service }
        if let service, services.isEmpty {
            CLIRequest.printError("no service named \"\(service)\" (services: \(report.services.map(\.name).joined(separator: ", ")))")
            throw ExitCode(2)
        }
        if json, service != nil {
            print(String(decoding: try APIJSON.encoder().encode(services[0]), as: UTF8.self))
        } else if !json {
            print(StatusTable.render(report, services: services, now: Date()))
        }
        let settled: Set<FailoverPhase> = [.primaryActive, .standbyActive, .failbackReady]
        if services.contains(where: { !settled.contains($0.phase) || $0.preflight?.ok == false }) { throw ExitCode(1) }
        if report.cluster?.coordinationLost == true { throw ExitCode(4) }
    }
}
