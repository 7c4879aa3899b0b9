/// Decodes `[service.readonly]`.
struct ReadOnlyDecoder {
    let paths: PathResolver

    /// Prefixes end up inside SQL identifiers, so only identifier characters are allowed.
    private static let tablePrefix = Conversion<String>.string.map { prefix in
        prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) && prefix.utf8.count <= 32
            ? .success(prefix)
            : Conversion<String>.failure("expected a table prefix of letters, digits and '_', got \"\(prefix)\"")
    }

    private static let preset = Conversion<String>.oneOf(["drupal7", "drupal6", "none"]).map {
        Result<ReadOnlyPreset, ConversionFailure>.success(ReadOnlyPreset(rawValue: $0)!)
    }

    func decode(_ table: TableReader) -> ReadOnlySettings {
        defer { table.finish() }
        let preset = table.value("preset", default: .none, Self.preset)
        let prefixes = table.list("table_prefixes", default: [""], Self.tablePrefix)
        if table.has("table_prefixes") && prefixes.isEmpty && !table.log.problems.contains(where: { $0.keyPath.hasPrefix(table.keyPath("table_prefixes")) }) {
            table.log.add(table.keyPath("table_prefixes"), "is empty; expected at least one prefix (\"\" for none)")
        }
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
        return ReadOnlySettings(
            preset: preset,
            adminAllow: table.list("admin_allow", default: [], .network),
            adminName: table.value("admin_name", default: "admin", .nonEmptyString),
            tablePrefixes: prefixes,
            apacheFlagFile: table.optional("apache_flag_file", paths.creatableFile),
            apacheConfigTest: table.value("apache_configtest", default: ["apache2ctl", "-t"], paths.command),
            apacheReload: table.value("apache_reload", default: ["apache2ctl", "graceful"], paths.command),
            mysql: mysql,
            stopReplication: table.value("stop_replication", default: mysql != nil, .boolean),
            resync: table.value("resync", default: [], paths.command),
            extra: extra)
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
