import ArgumentParser
import LifeboatCore

/// `lifeboat refresh`: refresh a dump-refreshed standby (`[service.refresh]`).
struct RefreshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Refresh the dump-refreshed standby: load a copy, verify it, swap it in.",
        discussion: """
            Without --now the refresh runs at once when it may, else it is queued and runs once it may (after \
            failback when the standby serves); with --now it runs at once or is refused with the reason. \
            `lifeboat status` shows its progress, the last outcome and the data's age. \
            Exit codes: 0 started or queued, 1 refused, 2 usage, configuration or token error, 3 the daemon cannot be reached.
            """)

    @OptionGroup var api: APIOptions

    @Option(help: "The service (may be left out when there is only one).")
    var service: String?

    @Flag(help: "Run it now or refuse; do not queue it.")
    var now = false

    @Option(help: "Why, for the journal and the history.")
    var reason: String = ""

    @Flag(help: "Print the daemon's JSON answer.")
    var json = false

    func run() throws {
        try ControlRequest.send(.refresh, api: api, service: service, json: json, body: CommandRequest(reason: reason, now: now ? true : nil))
    }
}
