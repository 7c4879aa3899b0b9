/// Why a call to etcd failed.
public struct CoordinationError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No endpoint answered (refused, timed out, unreachable).
        case unreachable
        /// An endpoint answered but the cluster has no quorum or leader (it cannot decide now).
        case noQuorum
        /// The lease expired or is unknown: whatever it held is gone.
        case leaseLost
        /// etcd refused the request (a bad request, a permission).
        case rejected
        /// The answer could not be read.
        case protocolError
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
