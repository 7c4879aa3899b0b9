import ArgumentParser
import LifeboatConfig

/// `lifeboat config …`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration file.",
        subcommands: [Check.self])

    /// `lifeboat config check`: validate the file, print "ok" or every problem.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration file.",
            discussion: "Prints \"ok\", or every problem as FILE: KEY.PATH: MESSAGE. Exit 0 when valid, 1 when not.")

        @OptionGroup var options: ConfigOptions

        @Flag(help: "Print the result as JSON: {\"ok\": bool, \"problems\": [{file, key, message}]}.")
        var json = false

        func run() async throws {
            let report = ConfigCheckReport.run(path: options.config)
            print(json ? report.json : report.text)
            if !report.ok { throw ExitCode(1) }
        }
    }
}
