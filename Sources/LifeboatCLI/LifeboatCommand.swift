public import ArgumentParser
import LifeboatConfig
import LifeboatCore

/// `lifeboat`: the operator's command-line tool.
public struct LifeboatCommand: AsyncParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "lifeboat",
        abstract: "Control and inspect Lifeboat, the DNS failover controller.",
        discussion: """
            Exit codes: 0 success, 1 refused or problems found, 2 usage or configuration error, \
            3 the daemon cannot be reached. Each subcommand's --help says more.
            """,
        version: version,
        subcommands: [
            StatusCommand.self, PromoteCommand.self, SwitchoverCommand.self, DrillCommand.self, FailbackCommand.self, PauseCommand.self, ResumeCommand.self,
            RetryCommand.self, AbortCommand.self, RefreshCommand.self, HistoryCommand.self, CheckCommand.self, ConfigCommand.self, ZoneCommand.self,
        ])

    /// The version `--version` prints.
    static let version = LifeboatVersion.string

    /// Creates the command (ArgumentParser fills in the options).
    public init() {}
}

/// Options shared by commands that read the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = ConfigLoader.defaultPath
}
