public import ArgumentParser
import LifeboatConfig

/// `lifeboat`: the operator's command-line tool.
public struct LifeboatCommand: AsyncParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "lifeboat",
        abstract: "Control and inspect Lifeboat, the DNS failover controller.",
        discussion: """
            Exit codes: 0 success, 1 the check found problems, 2 usage or configuration error.
            """,
        subcommands: [CheckCommand.self, ConfigCommand.self, ZoneCommand.self])

    /// Creates the command (ArgumentParser fills in the options).
    public init() {}
}

/// Options shared by commands that read the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = ConfigLoader.defaultPath
}
