/// Why a standby step failed: a bounded kind (usable as a metric label) and the details.
public struct StandbyActionError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in a fixed set of words.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let code: String
        /// `apache2ctl -t` refused the configuration; the snippet was taken out again.
        public static let configTest = Kind(code: "configtest")
        /// A command (reload, resync, extra step) failed or timed out.
        public static let command = Kind(code: "command")
        /// A database statement or connection failed.
        public static let database = Kind(code: "database")
        /// The step ran but checking its effect showed it did not take.
        public static let verification = Kind(code: "verification")
        /// A state or snippet file could not be written or read.
        public static let file = Kind(code: "file")
        /// The short name.
        public var description: String { code }
    }

    /// The classification.
    public let kind: Kind
    /// What happened, for the operator.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind): \(message)" }
}
