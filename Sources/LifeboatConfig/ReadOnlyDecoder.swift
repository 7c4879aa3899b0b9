/// Decodes `[service.readonly]`.
struct ReadOnlyDecoder {
    let paths: PathResolver

    /// Identifier characters only: names end up inside SQL identifiers.
    static func isIdentifier(_ text: String, allowEmpty: Bool = false) -> Bool {
        (allowEmpty || !text.isEmpty) && text.utf8.count <= 64
            && text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
    }

    /// A Drupal table prefix: identifier characters, optionally after `database.` (Drupal's
    /// `"shared."` form for a table in another database).
    private static let tablePrefix = Conversion<String>.string.map { prefix in
        let parts = prefix.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let valid = parts.count == 1
            ? isIdentifier(parts[0], allowEmpty: true) && prefix.utf8.count <= 32
            : isIdentifier(parts[0]) && isIdentifier(parts[1], allowEmpty: true) && !parts[1].contains(".")
        return valid
            ? .success(prefix)
            : Conversion<String>.failure("expected a table prefix of letters, digits and '_' (or \"database.\" / \"database.prefix_\"), got \"\(prefix)\"")
    }

    private static let identifier = Conversion<String>.string.map { name in
        isIdentifier(name) ? .success(name) : Conversion<String>.failure("expected letters, digits and '_', got \"\(name)\"")
    }

    private static let siteName = Conversion<String>.string.map { name in
        isIdentifier(name) && name == name.lowercased()
            ? .success(name) : Conversion<String>.failure("expected a site name of lower-case letters, digits and '_', got \"\(name)\"")
    }

    /// `base_path`: where Drupal lives under the host, as Drupal's `$base_path` (`/`, `/drupal/`).
    private static let basePath = Conversion<String>.string.map { path in
        let valid = path.hasPrefix("/") && path.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || "/-_.~".utf8.contains(byte)
        }
        guard valid else { return Conversion<String>.failure("expected a path such as \"/\" or \"/drupal/\" (letters, digits, - _ . ~), got \"\(path)\"") }
        return .success(path.hasSuffix("/") ? path : path + "/")
    }

    private static let languagePrefix = Conversion<String>.string.map { code in
        !code.isEmpty && code.utf8.count <= 12 && code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            ? .success(code) : Conversion<String>.failure("expected a language path prefix such as \"en\" or \"pt-br\", got \"\(code)\"")
    }

    private static let preset = Conversion<String>.oneOf(["drupal7", "drupal6", "none"]).map {
        Result<ReadOnlyPreset, ConversionFailure>.success(ReadOnlyPreset(rawValue: $0)!)
    }

    /// `dumpRefreshed`: the service has `[service.refresh]`, so its standby does not replicate
    /// (`stop_replication` defaults to false).
    func decode(_ table: TableReader, dumpRefreshed: Bool = false) -> ReadOnlySettings {
        defer { table.finish() }
        let preset = table.value("preset", default: .none, Self.preset)
        let prefixes = table.list("table_prefixes", default: [""], Self.tablePrefix)
        if table.has("table_prefixes") && prefixes.isEmpty && !table.log.problems.contains(where: { $0.keyPath.hasPrefix(table.keyPath("table_prefixes")) }) {
            table.log.add(table.keyPath("table_prefixes"), "is empty; expected at least one prefix (\"\" for none)")
        }
        let sites = decodeSites(table, shorthand: prefixes)
        var mysql: MySQLEndpoint?
        if table.has("mysql") {
            let mysqlTable = table.table("mysql")
            mysql = MySQLEndpointDecoder(paths: paths).decode(mysqlTable)
            mysqlTable.finish()
        }
        let extra = table.tables("extra").map(decodeExtra)
        let needsSQL = preset != .none || extra.contains { if case .sql = $0 { true } else { false } }
        if needsSQL && !table.has("mysql") {
            table.log.add(table.keyPath("mysql"),
                "missing; preset \"\(preset.rawValue)\" and SQL extra steps run on the standby database: give { host, port, user, password_file, database }")
        }
        if preset != .none, let mysql, mysql.database == nil, let site = sites.first(where: { $0.database == nil }) {
            table.log.add(table.keyPath("mysql.database"),
                "missing; the \(preset.rawValue) steps of site \"\(site.name)\" need the database its tables are in (or give the site a database)")
        }
        let stopReplication = table.value("stop_replication", default: mysql != nil && !dumpRefreshed, .boolean)
        let replicaReadOnly = table.value("replica_read_only", default: mysql != nil && stopReplication, .boolean)
        if table.has("replica_read_only"), replicaReadOnly, mysql == nil || !stopReplication {
            table.log.add(table.keyPath("replica_read_only"), "needs readonly.mysql and stop_replication = true (the replica is made writable only once replication is stopped)")
        }
        let onFailure = table.value("on_failure", default: "halt", Conversion<String>.oneOf(["halt", "serve"]))
        return ReadOnlySettings(
            preset: preset,
            adminAllow: table.list("admin_allow", default: [], .network),
            adminName: table.value("admin_name", default: "admin", .nonEmptyString),
            tablePrefixes: prefixes,
            sites: sites,
            basePath: table.value("base_path", default: "/", Self.basePath),
            languagePrefixes: table.list("language_prefixes", default: [], Self.languagePrefix),
            apacheFlagFile: table.optional("apache_flag_file", paths.creatableFile),
            apacheConfigTest: table.value("apache_configtest", default: ["apache2ctl", "-t"], paths.command),
            apacheReload: table.value("apache_reload", default: ["apache2ctl", "graceful"], paths.command),
            mysql: mysql,
            stopReplication: stopReplication,
            replicaReadOnly: replicaReadOnly,
            serveOnFailure: onFailure == "serve",
            resync: table.value("resync", default: [], paths.command),
            extra: extra)
    }

    /// `[[service.readonly.site]]`, or one site per `table_prefixes` string.
    private func decodeSites(_ table: TableReader, shorthand prefixes: [String]) -> [DrupalSite] {
        let siteTables = table.tables("site")
        var sites: [DrupalSite]
        if siteTables.isEmpty {
            sites = prefixes.enumerated().map { index, prefix in
                var name = prefix.replacingOccurrences(of: ".", with: "_")
                while name.hasSuffix("_") { name.removeLast() }
                return DrupalSite(
                    name: name.isEmpty ? "default" : name.lowercased(), prefix: TablePrefix(defaultPrefix: prefix),
                    keyPath: KeyPath.index(table.keyPath("table_prefixes"), index), fromShorthand: true)
            }
        } else {
            if table.has("table_prefixes") {
                table.log.add(table.keyPath("table_prefixes"), "give either table_prefixes or [[service.readonly.site]] entries, not both")
            }
            sites = siteTables.compactMap(decodeSite)
        }
        var seen: [String: String] = [:]
        for site in sites {
            if let first = seen[site.name] {
                table.log.add(site.keyPath, "site name \"\(site.name)\" is already used by \(first); each site needs its own name (its step is sql:\(site.name))")
            } else {
                seen[site.name] = site.keyPath
            }
        }
        return sites
    }

    private func decodeSite(_ table: TableReader) -> DrupalSite? {
        defer { table.finish() }
        let name = table.required("name", Self.siteName, what: "the site's name, e.g. \"main\"")
        let database = table.optional("database", Self.identifier)
        var prefix: TablePrefix?
        switch table.peek("prefix") {
        case nil:
            prefix = TablePrefix(defaultPrefix: "")
        case .string?:
            prefix = table.optional("prefix", Self.tablePrefix).map { TablePrefix(defaultPrefix: $0) }
        case .table?:
            let map = table.table("prefix")
            var perTable: [String: String] = [:]
            let defaultPrefix = map.value("default", default: "", Self.tablePrefix)
            for key in map.keys where key != "default" {
                guard Self.isIdentifier(key) else {
                    _ = map.peek(key)
                    table.log.add(map.keyPath(key), "expected a Drupal table name (letters, digits and '_') as the key")
                    continue
                }
                if let value = map.optional(key, Self.tablePrefix) { perTable[key] = value }
            }
            map.finish()
            prefix = TablePrefix(defaultPrefix: defaultPrefix, perTable: perTable)
        case let other?:
            table.log.add(table.keyPath("prefix"),
                "expected a string (one prefix for every table) or a table like Drupal's prefix array ({ default = \"main_\", sessions = \"shared_\" }), got \(other.shortDescription)")
        }
        guard let name, let prefix else { return nil }
        return DrupalSite(name: name, prefix: prefix, database: database, keyPath: table.path)
    }

    private func decodeExtra(_ table: TableReader) -> ExtraStep {
        defer { table.finish() }
        let sql = table.optional("sql", .nonEmptyString)
        let command = table.optional("command", paths.command)
        switch (sql, command) {
        case (let sql?, nil):
            return .sql(apply: sql, revert: table.optional("revert_sql", .nonEmptyString))
        case (nil, let command?):
            return .command(apply: command, revert: table.optional("revert_command", paths.command))
        case (.some, .some):
            table.log.add(table.path, "give either sql or command in one extra step, not both")
        case (nil, nil):
            if !table.has("sql") && !table.has("command") {
                table.log.add(table.path, "expected sql = \"...\" or command = [...] (each with an optional revert_sql/revert_command)")
            }
        }
        _ = table.optional("revert_sql", .nonEmptyString)
        _ = table.optional("revert_command", paths.command)
        return .command(apply: [], revert: nil)
    }
}
