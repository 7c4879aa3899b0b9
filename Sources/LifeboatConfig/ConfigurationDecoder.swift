import DomainNames
/// Walks the TOML tree into `LifeboatConfiguration`, logging each problem under its key path.
/// Where a value is wrong a placeholder stands in so the walk goes on; the loader discards
/// the result whenever anything was logged.
struct ConfigurationDecoder {
    let log: ProblemLog
    let paths: PathResolver

    func decode(_ root: TableReader) -> LifeboatConfiguration {
        let stateDirectory = root.value("state_dir", default: "/var/lib/lifeboat", .nonEmptyString)
        let dns = decodeDNS(root.table("dns"))
        let http = decodeHTTP(root.table("http"))
        let witnessTable = root.table("witness")
        let witnessChecks = witnessTable.tables("checks").map { CheckDecoder(paths: paths).decode($0) }
        witnessTable.finish()
        let services = root.tables("service").map { ServiceDecoder(paths: paths).decode($0) }
        let webhooks = root.tables("notify").map(decodeWebhook)
        let cluster = root.has("cluster") ? ClusterDecoder(paths: paths).decode(root.table("cluster")) : nil
        root.finish()
        if services.isEmpty && !root.has("service") {
            log.add("service", "missing; expected at least one [[service]] table")
        }
        checkAcrossServices(services, zonesDirectory: dns.zonesDirectory, zonesDirectoryIsValid: !log.problems.contains { $0.keyPath == "dns.zones_dir" })
        return LifeboatConfiguration(
            stateDirectory: paths.resolve(stateDirectory), dns: dns, http: http,
            witnessChecks: witnessChecks, services: services, webhooks: webhooks, cluster: cluster)
    }

    private func decodeWebhook(_ table: TableReader) -> WebhookSettings {
        defer { table.finish() }
        let url = table.optional("url", Conversion.string.map { text in HTTPURL.parse(text).map { _ in text } })
        let urlFile = table.optional("url_file", paths.existingFile)
        if url == nil && urlFile == nil && !table.has("url") && !table.has("url_file") {
            log.add(table.keyPath("url"), "missing; expected the webhook's URL (or url_file, a file holding it)")
        }
        if table.has("url") && table.has("url_file") {
            log.add(table.keyPath("url_file"), "given together with url; expected one of them")
        }
        return WebhookSettings(
            target: urlFile.map { .file($0) } ?? .url(url ?? ""),
            headersFile: table.optional("headers_file", paths.existingFile),
            timeout: table.value("timeout", default: .seconds(5), .duration(atLeast: .milliseconds(100))),
            retries: table.value("retries", default: 5, .integer(0...20)))
    }

    private func decodeDNS(_ table: TableReader) -> DNSSettings {
        defer { table.finish() }
        let listen = table.list("listen", default: DNSSettings.defaultListen, .socketAddress())
        if table.has("listen") && listen.isEmpty && !log.problems.contains(where: { $0.keyPath.hasPrefix("dns.listen") }) {
            log.add("dns.listen", "is empty; expected at least one address to serve DNS on")
        }
        let transfers = TransferDecoder(paths: paths)
        let keys = transfers.keys(table)
        var rrl = RRLSettings()
        if table.has("rrl") {
            let reader = table.table("rrl")
            rrl.responsesPerSecond = reader.value("responses_per_second", default: rrl.responsesPerSecond, .integer(0...1_000_000))
            rrl.slip = reader.value("slip", default: rrl.slip, .integer(0...10))
            rrl.ipv4Prefix = reader.value("ipv4_prefix", default: rrl.ipv4Prefix, .integer(8...32))
            rrl.ipv6Prefix = reader.value("ipv6_prefix", default: rrl.ipv6Prefix, .integer(16...64))
            rrl.exempt = reader.list("exempt", default: rrl.exempt, .network)
            reader.finish()
        }
        return DNSSettings(
            listen: listen,
            zonesDirectory: table.value("zones_dir", checkedDefault: .string("/etc/lifeboat/zones"), paths.existingDirectory)
                ?? "/etc/lifeboat/zones",
            notify: transfers.notifyTargets(table, keys: keys),
            allowTransfer: transfers.permissions(table, keys: keys),
            tsig: keys,
            tcpIdleTimeout: table.value("tcp_idle_timeout", default: .seconds(10), .duration(atLeast: .milliseconds(100))),
            tcpMaxConnections: table.value("tcp_max_connections", default: 100, .integer(1...100_000)),
            tcpMaxPerClient: table.value("tcp_max_per_client", default: 10, .integer(1...100_000)),
            ixfrJournalSize: table.value("ixfr_journal_size", default: 100, .integer(0...100_000)),
            rrl: rrl)
    }

    private func decodeHTTP(_ table: TableReader) -> HTTPSettings {
        defer { table.finish() }
        let defaultListen = SocketAddress(address: IPAddress("127.0.0.1")!, port: 8053)
        return HTTPSettings(
            listen: table.value("listen", default: defaultListen, .socketAddress()),
            tokenFile: table.value("token_file", checkedDefault: .string("/etc/lifeboat/token"), paths.existingFile)
                ?? "/etc/lifeboat/token")
    }

    /// Rules that span services: unique names, each owner served by one service, zone files present.
    private func checkAcrossServices(_ services: [ServiceSettings], zonesDirectory: String, zonesDirectoryIsValid: Bool) {
        var names: [String: Int] = [:]
        var owners: [DNSName: Int] = [:]
        for (index, service) in services.enumerated() {
            let path = KeyPath.index("service", index)
            if !service.name.isEmpty, let first = names[service.name] {
                log.add(KeyPath.join(path, "name"), "duplicate service name \"\(service.name)\" (also service[\(first)])")
            } else {
                names[service.name] = index
            }
            for (ownerIndex, owner) in service.owners.enumerated() {
                let ownerPath = KeyPath.index(KeyPath.join(path, "owners"), ownerIndex)
                if let first = owners[owner] {
                    log.add(ownerPath, first == index
                        ? "\(owner) is listed twice"
                        : "\(owner) already belongs to service[\(first)]; an owner can follow only one service")
                } else {
                    owners[owner] = index
                }
            }
            if zonesDirectoryIsValid && service.zone != .root {
                let zoneFile = "\(zonesDirectory)/\(service.zone)zone"
                if paths.fileSystem.status(zoneFile) != .readableFile {
                    log.add(KeyPath.join(path, "zone"), "no readable zone file for \(service.zone) in dns.zones_dir: expected \(zoneFile)")
                }
            }
        }
    }
}
