/// One zone's served state as the cluster shares it: the serial and the failover overrides. The
/// leader writes it (fenced); every site adopts it, so all answer alike with the cluster's serial.
public struct PublishedZoneState: Sendable, Codable, Equatable {
    /// A failover's addresses for one owner.
    public struct Override: Sendable, Codable, Equatable {
        /// IPv4 and IPv6 addresses in text form.
        public var addresses: [String]
        public var ttl: UInt32

        public init(addresses: [String], ttl: UInt32) {
            self.addresses = addresses
            self.ttl = ttl
        }
    }

    public var serial: UInt32
    /// By owner name (with the final dot).
    public var overrides: [String: Override]

    public init(serial: UInt32, overrides: [String: Override]) {
        self.serial = serial
        self.overrides = overrides
    }
}
