/// A zone file that cannot be served, with the place: `file:line: message`.
public struct ZoneLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The zone file.
    public var file: String
    /// The line the problem is on (0 when it concerns the whole file).
    public var line: Int
    /// What is wrong (ldns's message where ldns found it).
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `zones/example.com.zone:12: Syntax error, could not parse the RR's type`.
    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
