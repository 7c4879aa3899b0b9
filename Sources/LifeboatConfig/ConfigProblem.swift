/// One thing wrong with a configuration file: where it is and what was expected.
public struct ConfigProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, with `:line:column` when the parser knows it.
    public var file: String
    /// The key path, e.g. `service[0].primary.checks[1].url`; empty for file-level problems.
    public var keyPath: String
    /// What is wrong and what was expected.
    public var message: String

    /// Creates a problem report.
    public init(file: String, keyPath: String, message: String) {
        self.file = file
        self.keyPath = keyPath
        self.message = message
    }

    /// `file: key.path: message`, the line `lifeboat config check` prints.
    public var description: String {
        keyPath.isEmpty ? "\(file): \(message)" : "\(file): \(keyPath): \(message)"
    }
}

/// A configuration that cannot be used, with every problem found in it.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// All problems, in the order they were found.
    public var problems: [ConfigProblem]

    /// Creates the error from its problems.
    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
