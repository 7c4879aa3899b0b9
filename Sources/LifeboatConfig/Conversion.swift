import LifeboatCore
/// Why a value was refused: the message names what was expected.
public struct ConversionFailure: Error, Sendable, Equatable {
    /// The message, e.g. `expected a string, got an integer (5)`.
    public let message: String
}

/// Turns one `ConfigValue` into a typed value or says what was expected.
struct Conversion<T>: Sendable {
    let convert: @Sendable (ConfigValue) -> Result<T, ConversionFailure>

    /// Applies a further check or transformation to the converted value.
    func map<U>(_ transform: @escaping @Sendable (T) -> Result<U, ConversionFailure>) -> Conversion<U> {
        Conversion<U> { value in convert(value).flatMap(transform) }
    }
}

extension Conversion {
    static func failure(_ expected: String, got value: ConfigValue) -> Result<T, ConversionFailure> {
        .failure(ConversionFailure(message: "expected \(expected), got \(value.shortDescription)"))
    }

    static func failure(_ message: String) -> Result<T, ConversionFailure> {
        .failure(ConversionFailure(message: message))
    }
}

extension Conversion where T == String {
    static let string = Conversion { value in
        guard case .string(let s) = value else { return failure("a string", got: value) }
        return .success(s)
    }

    static let nonEmptyString = string.map { s in
        s.isEmpty ? Conversion<String>.failure("must not be empty") : .success(s)
    }

    /// A string from a fixed set, e.g. `"manual"` or `"auto"`.
    static func oneOf(_ choices: [String]) -> Conversion<String> {
        Conversion { value in
            guard case .string(let s) = value, choices.contains(s) else {
                let list = choices.map { "\"\($0)\"" }.joined(separator: " or ")
                return failure(list, got: value)
            }
            return .success(s)
        }
    }
}

extension Conversion where T == Int {
    /// An integer within `range`.
    static func integer(_ range: ClosedRange<Int>) -> Conversion<Int> {
        Conversion { value in
            guard case .integer(let i) = value, range.contains(i) else {
                return failure("an integer from \(range.lowerBound) to \(range.upperBound)", got: value)
            }
            return .success(i)
        }
    }
}

extension Conversion where T == Bool {
    static let boolean = Conversion { value in
        guard case .boolean(let b) = value else { return failure("true or false", got: value) }
        return .success(b)
    }
}

extension Conversion where T == Duration {
    /// A duration string such as `"2s"`, at least `minimum`.
    static func duration(atLeast minimum: Duration = .milliseconds(1)) -> Conversion<Duration> {
        Conversion { value in
            guard case .string(let text) = value, let duration = DurationText.parse(text) else {
                return failure("a duration like \"500ms\", \"2s\", \"5m\" or \"1h\"", got: value)
            }
            guard duration >= minimum else {
                return Conversion.failure("must be at least \(DurationText.format(minimum)), got \"\(text)\"")
            }
            return .success(duration)
        }
    }
}

extension Conversion where T == [String] {
    /// A command as an argument vector: a non-empty array of strings, never a shell line.
    static let command = Conversion { value in
        guard case .array(let items) = value else {
            return failure("a command as an array of strings, e.g. [\"apache2ctl\", \"graceful\"]", got: value)
        }
        var argv: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                return failure("a command as an array of strings", got: item)
            }
            argv.append(s)
        }
        guard let first = argv.first, !first.isEmpty else {
            return Conversion.failure("a command must name a program: expected a non-empty array of strings")
        }
        return .success(argv)
    }
}
