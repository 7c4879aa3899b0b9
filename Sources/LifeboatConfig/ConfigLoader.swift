#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads and validates a configuration file, reporting every problem at once.
public enum ConfigLoader {
    /// Where `lifeboat` and `lifeboatd` look without `--config`.
    public static let defaultPath = "/etc/lifeboat/lifeboat.toml"

    /// Reads and validates the file at `path`.
    public static func load(path: String, fileSystem: FileSystemAccess = .live) throws(ConfigError) -> LifeboatConfiguration {
        guard let text = TextFile.read(path) else {
            throw ConfigError(problems: [ConfigProblem(file: path, keyPath: "", message: "cannot read the file (\(String(cString: strerror(errno))))")])
        }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        return try parse(text, file: path, baseDirectory: directory.isEmpty ? "/" : directory, fileSystem: fileSystem)
    }

    /// Validates TOML `text` as if read from `file`; relative paths are taken from `baseDirectory`.
    public static func parse(
        _ text: String, file: String, baseDirectory: String, fileSystem: FileSystemAccess = .live
    ) throws(ConfigError) -> LifeboatConfiguration {
        let root: [String: ConfigValue]
        switch TOMLDocument.parse(text, file: file) {
        case .success(let table): root = table
        case .failure(let problem): throw ConfigError(problems: [problem])
        }
        let log = ProblemLog(file: file)
        let paths = PathResolver(baseDirectory: baseDirectory, fileSystem: fileSystem)
        let configuration = ConfigurationDecoder(log: log, paths: paths).decode(TableReader(root, path: "", log: log))
        guard log.problems.isEmpty else { throw ConfigError(problems: log.problems) }
        return configuration
    }

}
