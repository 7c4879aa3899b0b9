

/// What a check talks to.
public enum CheckKind: Sendable, Equatable {
    case http(HTTPCheckSettings)
    case mysql(MySQLCheckSettings)
    case tcp(TCPCheckSettings)
}
