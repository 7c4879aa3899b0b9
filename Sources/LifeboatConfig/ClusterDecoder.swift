/// Decodes `[cluster]`: several Lifeboat sites agreeing through etcd (TLS and an etcd user optional).
struct ClusterDecoder {
    let paths: PathResolver

    private static let label = Conversion<String>.nonEmptyString.map { name in
        let ok = name.utf8.count <= 63 && name.first != "-"
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        return ok ? .success(name) : Conversion<String>.failure("expected lower-case letters, digits and '-', got \"\(name)\"")
    }

    private static let endpoint = Conversion<String>.nonEmptyString.map { url -> Result<String, ConversionFailure> in
        guard case .success(let parsed) = HTTPURL.parse(url), IPAddress(parsed.host) != nil || parsed.host == "localhost" else {
            return Conversion<String>.failure("expected an etcd client URL with an IP address, e.g. \"http://10.1.0.1:2379\", got \"\(url)\"")
        }
        return .success(url)
    }

    func decode(_ table: TableReader) -> ClusterSettings {
        defer { table.finish() }
        let settings = ClusterSettings(
            name: table.required("name", Self.label, what: "the cluster's name, the key prefix /lifeboat/<name>/") ?? "",
            site: table.required("site", Self.label, what: "this instance's site, unique in the cluster") ?? "",
            role: ClusterSettings.Role(rawValue: table.value("role", default: "executor", .oneOf(["executor", "observer"]))) ?? .executor,
            etcd: table.requiredList("etcd", Self.endpoint, what: "the etcd members' client URLs"),
            leaseTTL: table.value("lease_ttl", default: .seconds(10), .duration(atLeast: .seconds(5))),
            quorum: table.value("quorum", default: 2, .integer(1...16)),
            sourceAddress: table.optional("source_address", .ipAddress),
            caFile: table.optional("ca_file", paths.existingFile),
            certFile: table.optional("cert_file", paths.existingFile),
            keyFile: table.optional("key_file", paths.existingFile),
            user: table.optional("user", .nonEmptyString),
            passwordFile: table.optional("password_file", paths.existingFile))
        if table.has("cert_file") != table.has("key_file") {
            table.log.add(table.keyPath(table.has("cert_file") ? "key_file" : "cert_file"), "missing; cert_file and key_file go together")
        }
        if table.has("user") != table.has("password_file") {
            table.log.add(table.keyPath(table.has("user") ? "password_file" : "user"), "missing; user and password_file go together")
        }
        return settings
    }
}
