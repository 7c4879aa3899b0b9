extension DNSName {
    /// A host name as a configuration writes it (`"WWW.Example.com"`, the final dot optional):
    /// labels of 1–63 letters, digits, `-` or `_`, a `*` first label allowed, at most 255 octets.
    /// The reason, in words, when it is not one.
    public static func validated(_ text: String) -> Result<DNSName, DNSNameError> {
        if text == "." { return .success(.root) }
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard trimmed.utf8.count <= 253 else { return .failure(DNSNameError("name is longer than 255 octets: \"\(text)\"")) }
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            guard !label.isEmpty, label.utf8.count <= 63 else {
                return .failure(DNSNameError("expected a domain name with labels of 1 to 63 characters, got \"\(text)\""))
            }
            let allowed = label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            guard allowed || (label == "*" && index == 0) else {
                return .failure(DNSNameError("expected a domain name (letters, digits, '-', '_'), got \"\(text)\""))
            }
        }
        guard let name = DNSName(trimmed + ".") else { return .failure(DNSNameError("not a domain name: \"\(text)\"")) }
        return .success(name)
    }
}

/// Why a text is not a domain name.
public struct DNSNameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, in words.
    public let description: String

    /// Creates the error.
    public init(_ description: String) { self.description = description }
}
