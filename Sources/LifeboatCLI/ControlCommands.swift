import ArgumentParser
import Foundation
import LifeboatCore

/// Options of every control command.
struct ControlOptions: ParsableArguments {
    @OptionGroup var api: APIOptions

    @Option(help: "The service (may be left out when there is only one).")
    var service: String?

    @Flag(help: "Skip the gates (standby health, isolation, holddown). Journaled as forced.")
    var force = false

    @Option(help: "Why, for the journal and the history.")
    var reason: String = ""

    @Flag(help: "Print the daemon's JSON answer.")
    var json = false

    @Flag(help: "abort only: keep what the stopped failover applied (snippet, SQL, replication stopped) instead of reverting it.")
    var keep = false
}

/// Sends one operator command to the daemon and reports the answer.
protocol ControlCommand: ParsableCommand {
    static var kind: OperatorCommandKind { get }
    var options: ControlOptions { get }
}

extension ControlCommand {
    static var controlDiscussion: String {
        "Exit codes: 0 done, 1 refused (the reason is printed), 2 usage, configuration or token error, 3 the daemon cannot be reached."
    }

    func run() throws {
        try ControlRequest.send(
            Self.kind, api: options.api, service: options.service, json: options.json,
            body: CommandRequest(force: options.force, reason: options.reason, keep: options.keep ? true : nil))
    }
}

/// One control call to the daemon and its answer, printed; exit 1 when refused.
enum ControlRequest {
    static func send(_ kind: OperatorCommandKind, api: APIOptions, service: String?, json: Bool, body: CommandRequest) throws {
        let response: CommandResponse = try CLIRequest.run {
            let client = try api.client()
            let service = try service ?? Self.onlyService(client)
            var body = body
            body.by = by
            let (status, data) = try client.post("/api/v1/services/\(service)/\(kind.rawValue)", json: String(decoding: try JSONEncoder().encode(body), as: UTF8.self))
            guard status == 200 || status == 409 else { throw CLIRequest.failure(status: status, body: data) }
            if json { print(String(decoding: data, as: UTF8.self), terminator: "") }
            return try APIJSON.decoder().decode(CommandResponse.self, from: data)
        }
        if !json {
            print("\(response.service): \(kind.rawValue) \(response.accepted ? "accepted" : "REFUSED"): \(response.message) [\(response.phase.rawValue)]")
        }
        if !response.accepted { throw ExitCode(1) }
    }

    /// Who sends a command, for the journal: `user@host (cli)`.
    static var by: String { "\(OperatorName.current())@\(ProcessInfo.processInfo.hostName) (cli)" }

    static func onlyService(_ client: DaemonClient) throws -> String {
        let report: StatusReport = try CLIRequest.decoded(client.get("/api/v1/status"))
        let names = report.services.map(\.name)
        guard names.count == 1 else { throw CLIUsageError(message: "several services (\(names.joined(separator: ", "))): say which with --service") }
        return names[0]
    }
}

struct PromoteCommand: ControlCommand {
    static let kind = OperatorCommandKind.promote
    static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Fail over to the standby now (read-only mode, then DNS).", discussion: controlDiscussion)
    @OptionGroup var options: ControlOptions
}

struct SwitchoverCommand: ControlCommand {
    static let kind = OperatorCommandKind.switchover
    static let configuration = CommandConfiguration(
        commandName: "switchover",
        abstract: "Planned move to the standby: lower the TTL (switchover_ttl), wait the old TTL out, then fail over.",
        discussion: "For maintenance at a healthy primary. Failback waits for `lifeboat failback` (even with failback = auto), which restores the TTL. "
            + controlDiscussion)
    @OptionGroup var options: ControlOptions
}

struct FailbackCommand: ControlCommand {
    static let kind = OperatorCommandKind.failback
    static let configuration = CommandConfiguration(
        commandName: "failback", abstract: "Fail back to the primary now (DNS, drain, read-only lifted, resync).",
        discussion: controlDiscussion, aliases: ["demote"])
    @OptionGroup var options: ControlOptions
}

struct PauseCommand: ControlCommand {
    static let kind = OperatorCommandKind.pause
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Stop automatic failover and failback (checks and DNS go on).", discussion: controlDiscussion)
    @OptionGroup var options: ControlOptions
}

struct ResumeCommand: ControlCommand {
    static let kind = OperatorCommandKind.resume
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Allow automatic transitions again.", discussion: controlDiscussion)
    @OptionGroup var options: ControlOptions
}

struct RetryCommand: ControlCommand {
    static let kind = OperatorCommandKind.retry
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Run the failed step of a stopped sequence again.", discussion: controlDiscussion)
    @OptionGroup var options: ControlOptions
}

struct AbortCommand: ControlCommand {
    static let kind = OperatorCommandKind.abort
    static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "Give up a stopped sequence: a failover's applied steps are reverted (--keep: left as they are).",
        discussion: controlDiscussion)
    @OptionGroup var options: ControlOptions
}
