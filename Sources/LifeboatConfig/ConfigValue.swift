/// A parsed TOML value, detached from the parser so it can cross tasks and be walked freely.
public enum ConfigValue: Sendable, Equatable {
    case table([String: ConfigValue])
    case array([ConfigValue])
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// TOML dates and times: Lifeboat has no key that takes one, so only the kind is kept.
    case dateOrTime(String)

    /// How the value's kind reads in an error message ("an integer (5)").
    var shortDescription: String {
        switch self {
        case .table: "a table"
        case .array: "an array"
        case .string(let s): "a string (\"\(s.prefix(40))\")"
        case .integer(let i): "an integer (\(i))"
        case .float(let d): "a float (\(d))"
        case .boolean(let b): "a boolean (\(b))"
        case .dateOrTime(let text): "a date/time (\(text))"
        }
    }
}
