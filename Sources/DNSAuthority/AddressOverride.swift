/// The addresses a failover put on an owner.
public struct AddressOverride: Sendable, Equatable {
    /// A (4 bytes) and AAAA (16 bytes) values.
    public var addresses: [[UInt8]]
    /// Their TTL.
    public var ttl: UInt32

    /// Creates an override.
    public init(addresses: [[UInt8]], ttl: UInt32) {
        self.addresses = addresses
        self.ttl = ttl
    }
}
