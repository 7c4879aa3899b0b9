/// Reads one TOML table: typed lookups with defaults, every problem logged under its key
/// path, and whatever key was never asked for reported as unknown by `finish()`.
final class TableReader {
    let path: String
    let log: ProblemLog
    private let values: [String: ConfigValue]
    private var asked: [String] = []

    init(_ values: [String: ConfigValue], path: String, log: ProblemLog) {
        self.values = values
        self.path = path
        self.log = log
    }

    /// A reader for `value`, which must be a table; anything else is logged and read as empty,
    /// so its keys fall back to defaults and no problem is reported twice.
    static func make(_ value: ConfigValue?, path: String, log: ProblemLog) -> TableReader {
        switch value {
        case .table(let values)?:
            return TableReader(values, path: path, log: log)
        case nil:
            return TableReader([:], path: path, log: log)
        case let other?:
            log.add(path, "expected a table, got \(other.shortDescription)")
            return TableReader([:], path: path, log: log)
        }
    }

    func keyPath(_ key: String) -> String { KeyPath.join(path, key) }

    /// Whether the file sets `key` at all.
    func has(_ key: String) -> Bool { values[key] != nil }

    /// The keys the file sets, sorted.
    var keys: [String] { values.keys.sorted() }

    /// The raw value of `key` (marked as asked for), to choose between shapes.
    func peek(_ key: String) -> ConfigValue? { raw(key) }

    private func raw(_ key: String) -> ConfigValue? {
        asked.append(key)
        return values[key]
    }

    private func converted<T>(_ key: String, _ value: ConfigValue, _ conversion: Conversion<T>) -> T? {
        switch conversion.convert(value) {
        case .success(let result): return result
        case .failure(let failure):
            log.add(keyPath(key), failure.message)
            return nil
        }
    }

    /// The value of `key`, or nil when it is absent or wrong (wrong is logged).
    func optional<T>(_ key: String, _ conversion: Conversion<T>) -> T? {
        guard let value = raw(key) else { return nil }
        return converted(key, value, conversion)
    }

    /// The value of `key`, or `defaultValue` when absent; a wrong value is logged.
    func value<T>(_ key: String, default defaultValue: T, _ conversion: Conversion<T>) -> T {
        optional(key, conversion) ?? defaultValue
    }

    /// The value of `key`, or its default when absent; the default is checked by `conversion`
    /// too (a default path must exist like a written one), and a problem with it says so.
    func value<T>(_ key: String, checkedDefault: ConfigValue, _ conversion: Conversion<T>) -> T? {
        guard !has(key) else { return optional(key, conversion) }
        _ = raw(key)
        switch conversion.convert(checkedDefault) {
        case .success(let result): return result
        case .failure(let failure):
            log.add(keyPath(key), "\(failure.message) (the default; set \(keyPath(key)))")
            return nil
        }
    }

    /// The value of `key`, which must be present; `what` says what to write there.
    func required<T>(_ key: String, _ conversion: Conversion<T>, what: String) -> T? {
        guard let value = raw(key) else {
            log.add(keyPath(key), "missing; expected \(what)")
            return nil
        }
        return converted(key, value, conversion)
    }

    /// An array of values; each bad element is logged with its index.
    func list<T>(_ key: String, default defaultValue: [T], _ conversion: Conversion<T>) -> [T] {
        guard let value = raw(key) else { return defaultValue }
        guard case .array(let elements) = value else {
            log.add(keyPath(key), "expected an array, got \(value.shortDescription)")
            return defaultValue
        }
        var result: [T] = []
        for (index, element) in elements.enumerated() {
            switch conversion.convert(element) {
            case .success(let item): result.append(item)
            case .failure(let failure): log.add(KeyPath.index(keyPath(key), index), failure.message)
            }
        }
        return result
    }

    /// A non-empty array of values that must be present.
    func requiredList<T>(_ key: String, _ conversion: Conversion<T>, what: String) -> [T] {
        guard has(key) else {
            _ = raw(key)
            log.add(keyPath(key), "missing; expected \(what)")
            return []
        }
        let result = list(key, default: [], conversion)
        if case .array(let elements)? = values[key], elements.isEmpty {
            log.add(keyPath(key), "is empty; expected \(what)")
        }
        return result
    }

    /// The sub-table `key` (absent reads as empty).
    func table(_ key: String) -> TableReader {
        TableReader.make(raw(key), path: keyPath(key), log: log)
    }

    /// An array of tables (`[[service]]` or `[{...}, {...}]`), one reader each.
    func tables(_ key: String) -> [TableReader] {
        guard let value = raw(key) else { return [] }
        guard case .array(let elements) = value else {
            log.add(keyPath(key), "expected an array of tables, got \(value.shortDescription)")
            return []
        }
        return elements.enumerated().map { index, element in
            TableReader.make(element, path: KeyPath.index(keyPath(key), index), log: log)
        }
    }

    /// Reports every key of this table that no lookup asked for.
    func finish() {
        let known = Set(asked)
        for key in values.keys.sorted() where !known.contains(key) {
            var message = "unknown key"
            if let guess = Self.closest(to: key, among: known) {
                message += "; did you mean \"\(guess)\"?"
            } else if !known.isEmpty {
                message += "; expected one of: \(known.sorted().joined(separator: ", "))"
            }
            log.add(keyPath(key), message)
        }
    }

    /// The known key within two edits of `key`, if exactly that close.
    private static func closest(to key: String, among known: Set<String>) -> String? {
        known.map { ($0, editDistance(key, $0)) }
            .filter { $0.1 <= 2 }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
