/// A fully qualified domain name, lower-cased, with the trailing dot: `"www.example.com."`.
public struct DomainName: Sendable, Hashable, CustomStringConvertible {
    /// The presentation form, lower-case, ending in a dot (the root is `"."`).
    public let text: String

    /// Validates and normalises `text` (a missing trailing dot is added); nil with a reason otherwise.
    public static func parse(_ text: String) -> Result<DomainName, ConversionFailure> {
        var name = text.lowercased()
        if !name.hasSuffix(".") { name += "." }
        if name == "." { return .success(DomainName(text: name)) }
        let labels = name.dropLast().split(separator: ".", omittingEmptySubsequences: false)
        guard name.utf8.count <= 254 else {
            return .failure(ConversionFailure(message: "name is longer than 255 octets: \"\(text)\""))
        }
        for (index, label) in labels.enumerated() {
            guard !label.isEmpty, label.utf8.count <= 63 else {
                return .failure(ConversionFailure(message: "expected a domain name with labels of 1 to 63 characters, got \"\(text)\""))
            }
            let allowed = label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            guard allowed || (label == "*" && index == 0) else {
                return .failure(ConversionFailure(message: "expected a domain name (letters, digits, '-', '_'), got \"\(text)\""))
            }
        }
        return .success(DomainName(text: name))
    }

    /// The root, `"."`.
    public static let root = DomainName(text: ".")

    private init(text: String) {
        self.text = text
    }

    /// Whether this name is `zone` or lies below it.
    public func isWithin(_ zone: DomainName) -> Bool {
        zone.text == "." || text == zone.text || text.hasSuffix("." + zone.text)
    }

    /// The presentation form.
    public var description: String { text }
}
