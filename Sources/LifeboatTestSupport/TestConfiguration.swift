public import LifeboatConfig

/// A file system where every path exists except those containing "missing":
/// a last component with a dot (not `.d`) or named `token` is a readable file, anything else a directory.
public let fakeFileSystem = FileSystemAccess(
    status: { path in
        if path.contains("missing") { return .missing }
        let last = path.split(separator: "/").last ?? ""
        let isFile = (last.contains(".") && !last.hasSuffix(".d")) || last == "token"
        return isFile ? .readableFile : .directory
    },
    isExecutable: { path in !path.contains("missing") })

/// The smallest valid configuration; cases edit it by replacing or appending text.
public let minimalConfig = """
    [http]
    token_file = "/etc/lifeboat/token"

    [[service]]
    name = "www"
    zone = "example.com."
    owners = ["www.example.com."]

    [service.primary]
    addresses = ["203.0.113.10"]
    checks = [
      { type = "http", url = "http://www.example.com/", connect_to = "203.0.113.10:80" },
      { type = "mysql", host = "203.0.113.10", user = "lifeboat", password_file = "/etc/lifeboat/primary.pw" },
    ]

    [service.standby]
    addresses = ["198.51.100.20"]
    checks = [ { type = "tcp", connect_to = "198.51.100.20:80" } ]

    [service.readonly]
    preset = "none"

    """

/// Parses `text` as `test.toml` against the fake file system.
public func load(_ text: String) throws(ConfigError) -> LifeboatConfiguration {
    try ConfigLoader.parse(text, file: "test.toml", baseDirectory: "/etc/lifeboat", fileSystem: fakeFileSystem)
}

/// The problems `text` has (empty when it loads).
public func problems(_ text: String) -> [ConfigProblem] {
    do {
        _ = try load(text)
        return []
    } catch {
        return error.problems
    }
}
