/// Decodes one check table (`{ type = "http", ... }`).
struct CheckDecoder {
    let paths: PathResolver

    private static let checkTypes = ["http", "mysql", "tcp"]

    /// Stands in for an address that was missing or wrong; such a load is refused anyway.
    private static let placeholderAddress = SocketAddress(address: IPAddress(bytes: [0, 0, 0, 0])!, port: 1)

    func decode(_ table: TableReader) -> CheckSettings {
        let placeholder = CheckSettings(
            name: "", timeout: .seconds(5), kind: .tcp(TCPCheckSettings(connectTo: Self.placeholderAddress)))
        guard let type = table.required("type", .oneOf(Self.checkTypes), what: "\"http\", \"mysql\" or \"tcp\"") else {
            return placeholder  // without a type its other keys cannot be judged
        }
        defer { table.finish() }
        let timeout = table.value("timeout", default: .seconds(5), .duration(atLeast: .milliseconds(10)))
        let givenName = table.optional("name", .nonEmptyString)
        let kind: CheckKind
        let target: String
        switch type {
        case "http":
            let http = decodeHTTP(table)
            kind = .http(http)
            target = http.url
        case "mysql":
            let mysql = decodeMySQL(table)
            kind = .mysql(mysql)
            target = mysql.endpoint.socket ?? "\(mysql.endpoint.host ?? "127.0.0.1"):\(mysql.endpoint.port)"
        default:
            let connectTo = table.required("connect_to", .socketAddress(), what: "an address with a port, e.g. \"192.0.2.1:443\"")
            kind = .tcp(TCPCheckSettings(connectTo: connectTo ?? Self.placeholderAddress))
            target = connectTo?.description ?? ""
        }
        return CheckSettings(name: givenName ?? "\(type):\(target)", timeout: timeout, kind: kind)
    }

    private func decodeHTTP(_ table: TableReader) -> HTTPCheckSettings {
        let parsed = table.required(
            "url", Conversion.string.map { text in HTTPURL.parse(text).map { (text, $0) } },
            what: "an http:// or https:// URL")
        let url = parsed?.1
        var connectTo = table.optional("connect_to", .socketAddress(defaultPort: url?.port ?? 80))
        if connectTo == nil && !table.has("connect_to"), let url {
            if let literal = IPAddress(url.host) {
                connectTo = SocketAddress(address: literal, port: url.port)
            } else {
                table.log.add(table.keyPath("connect_to"),
                    "missing; the URL's host \"\(url.host)\" is a name and checks never resolve names "
                    + "(Lifeboat serves that DNS): give the address to connect to, e.g. \"203.0.113.10:\(url.port)\"")
            }
        }
        let regex = table.optional("expect_body_regex", Conversion.nonEmptyString.map { pattern in
            (try? Regex(pattern)) == nil
                ? Conversion<String>.failure("not a valid regular expression: \"\(pattern)\"") : .success(pattern)
        })
        let caFile = table.optional("ca_file", paths.existingFile)
        let insecure = table.value("insecure", default: false, .boolean)
        if insecure && caFile != nil {
            table.log.add(table.keyPath("insecure"), "insecure = true turns off the verification that ca_file is for; set one or the other")
        }
        return HTTPCheckSettings(
            url: parsed?.0 ?? "",
            connectTo: connectTo ?? Self.placeholderAddress,
            expectStatus: table.list("expect_status", default: [], .integer(100...599)),
            expectBody: table.optional("expect_body", .nonEmptyString),
            expectBodyRegex: regex, caFile: caFile, insecure: insecure)
    }

    private func decodeMySQL(_ table: TableReader) -> MySQLCheckSettings {
        MySQLCheckSettings(
            endpoint: MySQLEndpointDecoder(paths: paths).decode(table),
            query: table.value("query", default: "SELECT 1", .nonEmptyString),
            replication: table.value("replication", default: false, .boolean),
            lagQuery: table.optional("lag_query", .nonEmptyString))
    }
}

/// Decodes the connection keys shared by `mysql` checks and `readonly.mysql`.
struct MySQLEndpointDecoder {
    let paths: PathResolver

    private static let host = Conversion<String>.nonEmptyString.map { host in
        host == "localhost" || IPAddress(host) != nil
            ? .success(host)
            : Conversion<String>.failure("expected an IP address or \"localhost\" (names are never resolved), got \"\(host)\"")
    }

    private static let socketPath = Conversion<String>.nonEmptyString.map { path in
        path.hasPrefix("/") ? .success(path) : Conversion<String>.failure("expected an absolute socket path, got \"\(path)\"")
    }

    func decode(_ table: TableReader) -> MySQLEndpoint {
        let socket = table.optional("socket", Self.socketPath)
        let host = table.optional("host", Self.host)
        if socket != nil && host != nil {
            table.log.add(table.keyPath("socket"), "give either host/port or socket, not both")
        }
        return MySQLEndpoint(
            host: socket == nil ? (host ?? "127.0.0.1") : nil,
            port: table.value("port", default: 3306, .integer(1...65535)),
            socket: socket,
            user: table.required("user", .nonEmptyString, what: "the MySQL user name") ?? "",
            passwordFile: table.required("password_file", paths.existingFile, what: "a file holding the password") ?? "",
            database: table.optional("database", .nonEmptyString))
    }
}
