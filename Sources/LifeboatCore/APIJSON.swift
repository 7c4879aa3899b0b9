public import Foundation

/// The JSON conventions of `/api/v1`: ISO 8601 dates, snake_case keys, sorted keys.
public enum APIJSON {
    /// The encoder the API answers with.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The decoder for what the API answers (the CLI uses it).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

/// The body of a control call: `{"force": bool, "reason": "...", "by": "..."}`, all optional.
public struct CommandRequest: Codable, Sendable {
    /// Skip the gates.
    public var force: Bool?
    /// Why, in words.
    public var reason: String?
    /// Who (for the journal).
    public var by: String?
    /// `abort` only: keep what the sequence applied instead of reverting it.
    public var keep: Bool?

    /// Creates a value with every field given.
    public init(force: Bool? = nil, reason: String? = nil, by: String? = nil, keep: Bool? = nil) {
        self.keep = keep
        self.force = force
        self.reason = reason
        self.by = by
    }
}

/// An error answer: `{"error": "..."}`.
public struct APIError: Codable, Sendable {
    /// What went wrong.
    public var error: String

    /// Creates a value with every field given.
    public init(error: String) {
        self.error = error
    }
}
