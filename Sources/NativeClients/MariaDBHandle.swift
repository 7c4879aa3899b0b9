import CMariaDB

#if canImport(Glibc)
import Glibc
#endif

/// A MYSQL handle with its options set, closed in `deinit`. Used by one thread at a time:
/// `MariaDBConnection` (blocking calls) or `MariaDBLoop` (non-blocking ones).
final class MariaDBHandle: @unchecked Sendable {
    let mysql: UnsafeMutablePointer<MYSQL>

    init(_ options: MySQLConnectOptions, nonBlocking: Bool) throws(NativeClientError) {
        guard mariaDBLibraryInit == 0 else {
            throw NativeClientError(kind: .other, library: "mariadb", code: Int(mariaDBLibraryInit), message: "mysql_library_init failed")
        }
        guard let mysql = mysql_init(nil) else {
            throw NativeClientError(kind: .local, library: "mariadb", code: 0, message: "mysql_init returned NULL (out of memory)")
        }
        self.mysql = mysql
        let optionResults: [Int32] = [
            lb_mysql_option_uint(mysql, MYSQL_OPT_CONNECT_TIMEOUT, Self.wholeSeconds(options.connectTimeout)),
            lb_mysql_option_uint(mysql, MYSQL_OPT_READ_TIMEOUT, Self.wholeSeconds(options.readTimeout)),
            lb_mysql_option_uint(mysql, MYSQL_OPT_WRITE_TIMEOUT, Self.wholeSeconds(options.writeTimeout)),
            lb_mysql_option_bool(mysql, MYSQL_OPT_RECONNECT, 0),
            options.socket == nil && options.host != "localhost"
                ? lb_mysql_option_uint(mysql, MYSQL_OPT_PROTOCOL, MYSQL_PROTOCOL_TCP.rawValue) : 0,
            nonBlocking ? mysql_options(mysql, MYSQL_OPT_NONBLOCK, nil) : 0,
            // The library copies the string (OPT_SET_EXTENDED_VALUE_STR).
            options.bindAddress.map { address -> Int32 in address.withCString { mysql_options(mysql, MYSQL_OPT_BIND, $0) } } ?? 0,
        ]
        // From here on `deinit` closes the handle, also when `init` throws.
        if optionResults.contains(where: { $0 != 0 }) {
            throw NativeClientError(kind: .usage, library: "mariadb", code: 0, message: "mysql_options refused an option")
        }
    }

    deinit {
        mysql_close(mysql)
    }

    private static func wholeSeconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        return UInt32(clamping: max(1, seconds + (attoseconds > 0 ? 1 : 0)))
    }

    /// The rows of a stored result (freed here).
    static func rows(of result: UnsafeMutablePointer<MYSQL_RES>) -> QueryResult {
        defer { mysql_free_result(result) }
        let columnCount = Int(mysql_num_fields(result))
        let fields = mysql_fetch_fields(result)
        let columns = (0..<columnCount).map { index in fields.map { String(cString: $0[index].name) } ?? "" }
        var rows: [[String?]] = []
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            rows.append((0..<columnCount).map { index in
                guard let cell = row[index] else { return nil }
                return cell.withMemoryRebound(to: UInt8.self, capacity: Int(lengths[index])) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: Int(lengths[index])), as: UTF8.self)
                }
            })
        }
        return QueryResult(columns: columns, rows: rows)
    }

    /// After `mysql_store_result` gave NULL: no result set (fine) or an error.
    func emptyOrError(elapsed: Duration) -> Result<QueryResult, NativeClientError> {
        mysql_field_count(mysql) == 0 ? .success(QueryResult(columns: [], rows: [])) : .failure(Self.error(mysql, elapsed: elapsed, limit: nil))
    }

    /// Classifies the handle's current error, keeping the library's code and message.
    /// A connect failure is a timeout when it took the whole limit: with a connect timeout set
    /// the library reports errno 115 (EINPROGRESS) for a refused port too, so the code alone cannot tell.
    static func error(_ handle: UnsafeMutablePointer<MYSQL>, elapsed: Duration, limit: Duration?) -> NativeClientError {
        let code = Int(mysql_errno(handle))
        let message = String(cString: mysql_error(handle))
        let usedWholeLimit = limit.map { elapsed >= $0 * 0.9 } ?? false
        let kind: NativeClientError.Kind
        // Connector/C puts the socket's errno in its message: "Can't create TCP/IP socket (24)".
        let localErrno = NativeClientError.localErrnos.contains { message.hasSuffix("(\($0))") }
        switch Int32(code) {
        case CR_OUT_OF_MEMORY:
            kind = .local
        case CR_SOCKET_CREATE_ERROR where localErrno, CR_IPSOCK_ERROR where localErrno:
            kind = .local
        case ER_ACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
            kind = .auth
        case CR_CONN_HOST_ERROR, CR_CONNECTION_ERROR:
            kind = usedWholeLimit || message.contains("(110)") ? .timeout : .refused
        case CR_SERVER_LOST:
            kind = usedWholeLimit || message.lowercased().contains("timeout") ? .timeout : .connection
        case CR_SERVER_GONE_ERROR, CR_SERVER_LOST_EXTENDED:
            kind = .connection
        case CR_SSL_CONNECTION_ERROR:
            kind = .tls
        case CR_UNKNOWN_HOST:
            kind = .resolve
        case CR_MALFORMED_PACKET:
            kind = .protocolError
        default:
            kind = code >= 2000 && code < 3000 ? .connection : .query
        }
        return NativeClientError(kind: kind, library: "mariadb", code: code, message: message)
    }
}
