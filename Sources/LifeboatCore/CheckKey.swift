/// A check's identity across the whole configuration (names need only be unique within a
/// site): where it belongs and its name. Written `service/site/name` or `witness/name`.
public struct CheckKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The site or the witnesses.
    public let owner: CheckOwner
    /// The check's name within its owner.
    public let name: String

    /// Creates the key.
    public init(owner: CheckOwner, name: String) {
        self.owner = owner
        self.name = name
    }

    /// `www/primary/primary-web`, `witness/witness-web`.
    public var description: String {
        switch owner {
        case .site(let service, let site): "\(service)/\(site.rawValue)/\(name)"
        case .witness: "witness/\(name)"
        }
    }

    /// By their written form, for stable listings.
    public static func < (lhs: CheckKey, rhs: CheckKey) -> Bool { lhs.description < rhs.description }
}
