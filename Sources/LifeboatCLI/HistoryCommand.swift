import ArgumentParser
import Foundation
import LifeboatCore

/// `lifeboat history`: the journal in words, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the event history (state changes, steps, commands), newest first.",
        discussion: "Exit codes: 0 shown, 2 usage or configuration error, 3 the daemon cannot be reached.")

    @OptionGroup var api: APIOptions

    @Option(help: "Only this service.")
    var service: String?

    @Option(help: "How many entries (1–2000).")
    var limit = 50

    @Flag(help: "Print the daemon's JSON (/api/v1/history).")
    var json = false

    func run() throws {
        let entries: [HistoryEntry] = try CLIRequest.run {
            let client = try api.client()
            var path = "/api/v1/history?limit=\(limit)"
            if let service { path += "&service=\(service.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? service)" }
            return try CLIRequest.decoded(client.get(path), printing: json)
        }
        guard !json else { return }
        for entry in entries {
            print("\(HumanTime.clock(entry.at))  \(entry.service)  \(entry.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(entry.summary)")
        }
    }
}
