

/// One health check (`{ type = "http" | "mysql" | "tcp", ... }`).
public struct CheckSettings: Sendable, Equatable {
    /// `name`: how status and metrics call it. Default `<type>:<target>`.
    public var name: String
    /// `timeout` of one run. Default 5 s.
    public var timeout: Duration
    /// The type-specific settings.
    public var kind: CheckKind

    /// Creates a check (the loader does; tools and tests may too).
    public init(name: String, timeout: Duration, kind: CheckKind) {
        self.name = name
        self.timeout = timeout
        self.kind = kind
    }
}
