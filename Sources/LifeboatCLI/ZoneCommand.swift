import ArgumentParser
import DNSZone

/// `lifeboat zone …`.
struct ZoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone", abstract: "Work with zone files.", subcommands: [Check.self])

    /// `lifeboat zone check FILE`: parse a zone file as the daemon would.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a zone file.",
            discussion: "Prints the origin, serial and record count, or FILE:LINE: MESSAGE. Exit 0 when it loads, 1 when not.")

        @Argument(help: "The zone file, named <zone>zone (e.g. example.com.zone).")
        var file: String

        @Option(help: "The zone's origin, when the file name does not give it.")
        var origin: String?

        func run() async throws {
            do {
                let zone = try ZoneFileLoader.load(path: file, origin: origin)
                print("ok: \(zone.origin) serial \(zone.serial), \(zone.records.count) records")
            } catch {
                print(error.description)
                throw ExitCode(1)
            }
        }
    }
}
