import TOMLKit

/// Turns TOML text into a `ConfigValue` tree; the only user of TOMLKit.
enum TOMLDocument {
    /// Parses `text`; a syntax error becomes a problem with `file:line:column`.
    static func parse(_ text: String, file: String) -> Result<[String: ConfigValue], ConfigProblem> {
        do {
            let table = try TOMLTable(string: text)
            return .success(convert(table))
        } catch let error as TOMLParseError {
            let at = error.source.begin
            return .failure(ConfigProblem(
                file: "\(file):\(at.line):\(at.column)", keyPath: "",
                message: "TOML syntax error: \(error.description)"))
        } catch {
            return .failure(ConfigProblem(file: file, keyPath: "", message: "TOML syntax error: \(error)"))
        }
    }

    private static func convert(_ table: TOMLTable) -> [String: ConfigValue] {
        var result: [String: ConfigValue] = [:]
        for (key, value) in table {
            result[key] = convert(value)
        }
        return result
    }

    private static func convert(_ value: any TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .table: return .table(value.table.map(convert) ?? [:])
        case .array: return .array(value.array.map { $0.map(convert) } ?? [])
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .float(value.double ?? 0)
        case .bool: return .boolean(value.bool ?? false)
        case .date, .time, .dateTime: return .dateOrTime(value.tomlValue.debugDescription)
        }
    }
}
