public import DomainNames

/// `[[dns.tsig]]`: a TSIG key (RFC 8945) for transfers and NOTIFY.
public struct TSIGKeySettings: Sendable, Equatable {
    /// `name`: the key's name, as the secondaries know it.
    public var name: DNSName
    /// `algorithm`: `"hmac-sha256"` (default) or `"hmac-sha512"`.
    public var algorithm: String
    /// `secret_file`: a file holding the base64 secret (never logged).
    public var secretFile: String
}

/// An `allow_transfer` entry: who may transfer, and with which key (`{ from = "…", key = "…" }`).
public struct TransferPermission: Sendable, Equatable {
    public var network: IPNetwork
    /// When set, only requests signed with this `[[dns.tsig]]` key are allowed from `network`.
    public var key: DNSName?

    public init(network: IPNetwork, key: DNSName? = nil) {
        self.network = network
        self.key = key
    }
}

/// A `notify` entry: a secondary told of each change, signed with `key` when set (`{ to = "…", key = "…" }`).
public struct NotifyTarget: Sendable, Equatable {
    public var address: SocketAddress
    public var key: DNSName?

    public init(address: SocketAddress, key: DNSName? = nil) {
        self.address = address
        self.key = key
    }
}

/// Reads `allow_transfer`, `notify` and `[[dns.tsig]]`: plain entries are strings, keyed ones
/// tables; every key named must be a `[[dns.tsig]]` key.
struct TransferDecoder {
    let paths: PathResolver

    func keys(_ table: TableReader) -> [TSIGKeySettings] {
        let keys = table.tables("tsig").compactMap { key -> TSIGKeySettings? in
            defer { key.finish() }
            let name = key.required("name", .domainName, what: "the key's name, e.g. \"transfer-key\"")
            let algorithm = key.value("algorithm", default: "hmac-sha256", .oneOf(["hmac-sha256", "hmac-sha512"]))
            let file = key.required("secret_file", paths.existingFile, what: "a file holding the key's base64 secret")
            guard let name, let file else { return nil }
            return TSIGKeySettings(name: name, algorithm: algorithm, secretFile: file)
        }
        var seen: Set<DNSName> = []
        for (index, key) in keys.enumerated() where !seen.insert(key.name).inserted {
            table.log.add(KeyPath.index(table.keyPath("tsig"), index) + ".name", "\"\(key.name)\" is already a [[dns.tsig]] key's name")
        }
        return keys
    }

    func permissions(_ table: TableReader, keys: [TSIGKeySettings]) -> [TransferPermission] {
        entries(table, "allow_transfer", addressKey: "from", keys: keys, plain: .network) { TransferPermission(network: $0, key: $1) }
    }

    func notifyTargets(_ table: TableReader, keys: [TSIGKeySettings]) -> [NotifyTarget] {
        entries(table, "notify", addressKey: "to", keys: keys, plain: .socketAddress(defaultPort: 53)) { NotifyTarget(address: $0, key: $1) }
    }

    private func entries<Address, Entry>(
        _ table: TableReader, _ name: String, addressKey: String, keys: [TSIGKeySettings], plain: Conversion<Address>,
        make: (Address, DNSName?) -> Entry
    ) -> [Entry] {
        guard let value = table.peek(name) else { return [] }
        guard case .array(let elements) = value else {
            table.log.add(table.keyPath(name), "expected an array, got \(value.shortDescription)")
            return []
        }
        var result: [Entry] = []
        for (index, element) in elements.enumerated() {
            let path = KeyPath.index(table.keyPath(name), index)
            if case .table = element {
                let entry = TableReader.make(element, path: path, log: table.log)
                defer { entry.finish() }
                let address = entry.required(addressKey, plain, what: "an address")
                let key = entry.required("key", .domainName, what: "the name of a [[dns.tsig]] key")
                if let key, !keys.contains(where: { $0.name == key }) {
                    table.log.add(path + ".key", "no [[dns.tsig]] key is named \"\(key)\"")
                }
                if let address { result.append(make(address, key)) }
            } else {
                switch plain.convert(element) {
                case .success(let address): result.append(make(address, nil))
                case .failure(let failure): table.log.add(path, failure.message)
                }
            }
        }
        return result
    }
}
