import LifeboatConfig
import NativeClients
import SystemIO
import NIOPosix

/// The standby's database as the read-only and replication steps use it: a fresh connection per
/// step (steps are rare), blocking calls on the thread pool, the password read from its file.
struct StandbyDatabase: Sendable {
    let endpoint: MySQLEndpoint
    let pool: NIOThreadPool

    /// Runs `body` with an open connection on the thread pool.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (MariaDBConnection) throws -> T) async throws -> T {
        try await pool.runIfActive {
            let password: String
            do throws(SystemError) { password = try SecretFile.read(endpoint.passwordFile) } catch {
                throw StandbyActionError(.file, "standby database password: \(error.message)")
            }
            do {
                let db = try MariaDBConnection(MySQLConnectOptions(
                    host: endpoint.host, port: endpoint.port, socket: endpoint.socket, user: endpoint.user,
                    password: password, database: endpoint.database, connectTimeout: .seconds(5),
                    readTimeout: .seconds(60), writeTimeout: .seconds(60)))
                return try body(db)
            } catch let error as NativeClientError {
                throw StandbyActionError(.database, error.message)
            }
        }
    }
}

extension MariaDBConnection {
    /// The first column of the first row as an integer (for `SELECT COUNT(*)`).
    func integer(_ sql: String) throws -> Int {
        Int(try query(sql).rows.first?.first.flatMap { $0 } ?? "") ?? 0
    }

    /// Runs a statement and returns the rows it changed.
    func affectedRows(_ sql: String) throws -> Int { try execute(sql) }
}

/// SQL literals built without quoting rules to get wrong: strings go in as hex.
enum SQLLiteral {
    /// `X'…'` for any text (binary-safe; MySQL converts it where a string is expected).
    static func text(_ value: String) -> String {
        "X'" + value.utf8.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() + "'"
    }
}
