/// Why the zone authority refused to start or to change what it serves.
public enum ZoneAuthorityError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A state file in `state_dir` cannot be read: the file and line.
    case damagedState(path: String, line: Int)
    /// An owner that no served zone contains.
    case ownerNotServed(String)
    /// A published override whose address is not an IP address.
    case badAddress(String)

    public var description: String {
        switch self {
        case .damagedState(let path, let line): "\(path):\(line): damaged zone state (move it away to start from the zone file)"
        case .ownerNotServed(let owner): "\(owner) is in no served zone"
        case .badAddress(let owner): "the override of \(owner) has an address that is not an IP address"
        }
    }
}
