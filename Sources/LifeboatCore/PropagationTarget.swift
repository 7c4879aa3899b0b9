/// Who the propagation watch asks after a DNS step: a recursive resolver the site's visitors use
/// (asked for the owners' addresses) or a secondary (asked for the zone's SOA serial).
public struct PropagationTarget: Sendable, Codable, Hashable, CustomStringConvertible {
    /// Which kind.
    public enum Kind: String, Sendable, Codable {
        case resolver
        case secondary
    }

    /// Which kind.
    public var kind: Kind
    /// Its name (`[[service.resolvers]]`'s `name`, else the address).
    public var name: String
    /// `address:port`.
    public var address: String

    /// Creates a target.
    public init(kind: Kind, name: String, address: String) {
        self.kind = kind
        self.name = name
        self.address = address
    }

    public var description: String { name == address ? "\(kind.rawValue) \(address)" : "\(kind.rawValue) \(name) (\(address))" }
}
