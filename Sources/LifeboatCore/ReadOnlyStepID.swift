/// Which read-only step: Apache's flag and access rules, one Drupal site's tables, or an extra
/// step. Written as today's names — `apache`, `sql:<site>` (`sql:<prefix>` in journals from
/// before sites had names), `extra:<n>` — in journals, the API and the status.
public enum ReadOnlyStepID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// `apache`: the flag file and access rules, configtest, graceful reload.
    case apache
    /// `sql:<site>`: the Drupal tables of one site (or of a prefix, in old journals).
    case drupal(String)
    /// `extra:<n>`: the n-th `[[service.readonly.extra]]`, from 1.
    case extra(Int)

    /// Parses a name; nil when it is none of the three forms.
    public init?(_ text: String) {
        if text == "apache" {
            self = .apache
        } else if text.hasPrefix("sql:"), text.count > 4 {
            self = .drupal(String(text.dropFirst(4)))
        } else if text.hasPrefix("extra:"), let index = Int(text.dropFirst(6)), index > 0 {
            self = .extra(index)
        } else {
            return nil
        }
    }

    /// A name written in code (`"apache"`, `"sql:main"`); anything else is a programming error.
    public init(stringLiteral text: String) {
        guard let id = ReadOnlyStepID(text) else { preconditionFailure("\"\(text)\" is not a read-only step name") }
        self = id
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ReadOnlyStepID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a read-only step: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// By name, for stable listings.
    public static func < (lhs: ReadOnlyStepID, rhs: ReadOnlyStepID) -> Bool { lhs.description < rhs.description }

    public var description: String {
        switch self {
        case .apache: "apache"
        case .drupal(let site): "sql:\(site)"
        case .extra(let index): "extra:\(index)"
        }
    }
}
