import LifeboatCore
/// Decodes one `[[service]]` table.
struct ServiceDecoder {
    let paths: PathResolver

    private static let nameRule = Conversion<String>.nonEmptyString.map { name in
        let ok = name.utf8.count <= 63 && name.first != "-"
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        return ok ? .success(name) : Conversion<String>.failure(
            "expected a service name of lower-case letters, digits and '-', got \"\(name)\"")
    }

    func decode(_ table: TableReader) -> ServiceSettings {
        defer { table.finish() }
        let log = table.log
        let name = table.required("name", Self.nameRule, what: "a service name such as \"www\"") ?? ""
        let zone = table.required("zone", .domainName, what: "the zone that holds the owners, e.g. \"example.com.\"")
        let owners = table.requiredList("owners", .domainName, what: "the DNS names that follow the active site")
        if let zone {
            for (index, owner) in owners.enumerated() where !owner.isWithin(zone) {
                log.add(KeyPath.index(table.keyPath("owners"), index), "\(owner) is outside the service's zone \(zone)")
            }
        }
        let interval = table.value("interval", default: .seconds(2), .duration(atLeast: .milliseconds(100)))
        let fastInterval = table.value("fast_interval", default: min(.milliseconds(200), interval), .duration(atLeast: .milliseconds(50)))
        if fastInterval > interval {
            table.log.add(table.keyPath("fast_interval"),
                          "is \(DurationText.format(fastInterval)), above interval (\(DurationText.format(interval))); expected at most interval")
        }
        var service = ServiceSettings(
            name: name,
            zone: zone ?? .root,
            owners: owners,
            ttl: table.value("ttl", default: 30, .integer(1...86400)),
            failback: table.value("failback", default: .manual, Self.failbackMode),
            fall: table.value("fall", default: 3, .integer(1...100)),
            rise: table.value("rise", default: 3, .integer(1...100)),
            interval: interval,
            fastInterval: min(fastInterval, interval),
            holddown: table.value("holddown", default: .seconds(300), .duration(atLeast: .zero)),
            minFailoverInterval: table.value("min_failover_interval", default: .seconds(600), .duration(atLeast: .zero)),
            maxLag: table.value("max_lag", default: .seconds(300), .duration(atLeast: .zero)),
            drainGrace: table.value("drain_grace", default: .seconds(5), .duration(atLeast: .zero)),
            stepRetries: table.value("step_retries", default: 3, .integer(0...100)),
            primary: decodeSite(table.table("primary"), required: table.has("primary")),
            standby: decodeSite(table.table("standby"), required: table.has("standby")),
            readOnly: ReadOnlyDecoder(paths: paths).decode(table.table("readonly"), dumpRefreshed: table.has("refresh")))
        service.timeZone = table.optional("time_zone", RefreshDecoder.timeZone)
        service.switchoverTTL = Int(table.value("switchover_ttl", default: .seconds(5), .duration(atLeast: .seconds(1))).components.seconds)
        service.resolvers = decodeResolvers(table)
        service.drillHold = table.value("drill_hold", default: .seconds(60), .duration(atLeast: .zero))
        service.drainWaitsForPropagation = table.value("drain_waits_for_propagation", default: true, .boolean)
        service.propagationTimeout = table.value("propagation_timeout", default: .seconds(600), .duration(atLeast: .seconds(1)))
        if table.has("refresh") {
            service.refresh = RefreshDecoder(paths: paths).decode(table.table("refresh"), lagQuery: service.standbyLagQuery)
            checkDumpRefreshed(service, table)
        }
        if service.readOnly.replicaReadOnly {
            for index in service.standby.checks.indices {
                if case .mysql(var mysql) = service.standby.checks[index].kind, mysql.replication {
                    mysql.expectReadOnly = true
                    service.standby.checks[index].kind = .mysql(mysql)
                }
            }
        }
        return service
    }

    /// `resolvers = ["addr[:port]", …]` or `[[service.resolvers]]` tables (`address`, `name`).
    private func decodeResolvers(_ table: TableReader) -> [ResolverSettings] {
        guard let value = table.peek("resolvers") else { return [] }
        guard case .array(let elements) = value else {
            table.log.add(table.keyPath("resolvers"), "expected an array of \"addr[:port]\" strings or [[service.resolvers]] tables, got \(value.shortDescription)")
            return []
        }
        var resolvers: [ResolverSettings] = []
        for (index, element) in elements.enumerated() {
            let path = KeyPath.index(table.keyPath("resolvers"), index)
            if case .table = element {
                let entry = TableReader.make(element, path: path, log: table.log)
                defer { entry.finish() }
                let address = entry.required("address", .socketAddress(defaultPort: 53), what: "the resolver's \"addr[:port]\"")
                let name = entry.value("name", default: address?.description ?? "", .string)
                if let address { resolvers.append(ResolverSettings(name: name, address: address)) }
            } else {
                switch Conversion<SocketAddress>.socketAddress(defaultPort: 53).convert(element) {
                case .success(let address): resolvers.append(ResolverSettings(name: address.description, address: address))
                case .failure(let failure): table.log.add(path, failure.message)
                }
            }
        }
        return resolvers
    }

    /// A dump-refreshed standby has a live database to swap into, does not replicate, and is
    /// resynced on failback by the same refresh.
    private func checkDumpRefreshed(_ service: ServiceSettings, _ table: TableReader) {
        let log = table.log
        let readOnly = table.keyPath("readonly")
        if service.readOnly.mysql?.database == nil {
            log.add(KeyPath.join(readOnly, "mysql"),
                "[service.refresh] needs readonly.mysql with a database: the refresh loads a copy into a scratch database beside it and swaps it in")
        }
        if let schedule = service.refresh?.schedule, service.maxLag <= schedule.longestGap {
            log.add(table.keyPath("max_lag"),
                "is \(DurationText.format(service.maxLag)), not above the \(DurationText.format(schedule.longestGap)) between refreshes (\(schedule)): the standby's data would be too old to fail over to between refreshes; set it above, e.g. \"\(DurationText.format(schedule.longestGap + .seconds(7200)))\"")
        }
        if service.readOnly.stopReplication {
            log.add(KeyPath.join(readOnly, "stop_replication"), "a standby refreshed from dumps ([service.refresh]) does not replicate; leave stop_replication out")
        }
        if !service.readOnly.resync.isEmpty {
            log.add(KeyPath.join(readOnly, "resync"), "with [service.refresh], failback's resync is the refresh itself; leave resync out")
        }
        for (index, check) in service.standby.checks.enumerated() {
            if case .mysql(let mysql) = check.kind, mysql.replication {
                log.add(KeyPath.join(KeyPath.index(table.keyPath("standby.checks"), index), "replication"),
                    "a standby refreshed from dumps ([service.refresh]) does not replicate; use lag_query for its data's age")
            }
        }
    }

    private static let failbackMode = Conversion<String>.oneOf(["manual", "auto"]).map {
        Result<FailbackMode, ConversionFailure>.success(FailbackMode(rawValue: $0)!)
    }

    private func decodeSite(_ table: TableReader, required: Bool) -> SiteSettings {
        defer { table.finish() }
        if !required {
            table.log.add(table.path, "missing; expected a table with addresses and checks")
            return SiteSettings(addresses: [], checks: [])
        }
        let addresses = table.requiredList("addresses", .ipAddress, what: "the addresses served while this site is active")
        if !table.has("checks") {
            table.log.add(table.keyPath("checks"), "missing; expected at least one check that tells whether this site works")
        }
        let checkTables = table.tables("checks")
        if table.has("checks") && checkTables.isEmpty && !table.log.problems.contains(where: { $0.keyPath == table.keyPath("checks") }) {
            table.log.add(table.keyPath("checks"), "is empty; expected at least one check")
        }
        return SiteSettings(addresses: addresses, checks: checkTables.map { CheckDecoder(paths: paths).decode($0) })
    }
}
