import CMariaDB

#if canImport(Glibc)
import Glibc
#endif

/// A connection driven by `MariaDBLoop`: each statement is a non-blocking query and store.
final class MariaDBAsyncSession: MySQLSession, @unchecked Sendable {
    private let handle: MariaDBHandle
    private let loop: MariaDBLoop

    init(handle: MariaDBHandle, loop: MariaDBLoop) {
        self.handle = handle
        self.loop = loop
    }

    func query(_ sql: String) async throws(NativeClientError) -> QueryResult {
        let started = ContinuousClock.now
        let text = CStrings([sql])  // read by every continue call, not only the start
        let length = UInt(sql.utf8.count)
        let sent = await loop.run(handle) { mysql, ready in
            var result: Int32 = 0
            let status = ready < 0 ? mysql_real_query_start(&result, mysql, text[0], length) : mysql_real_query_cont(&result, mysql, ready)
            return (status, status == 0 && result != 0 ? MariaDBHandle.error(mysql, elapsed: ContinuousClock.now - started, limit: nil) : nil)
        }
        if let sent { throw sent }
        let stored = StoredResult()
        let failure = await loop.run(handle) { mysql, ready in
            var result: UnsafeMutablePointer<MYSQL_RES>?
            let status = ready < 0 ? mysql_store_result_start(&result, mysql) : mysql_store_result_cont(&result, mysql, ready)
            guard status == 0 else { return (status, nil) }
            if let result {
                stored.value = .success(MariaDBHandle.rows(of: result))
            } else {
                stored.value = self.handle.emptyOrError(elapsed: ContinuousClock.now - started)
            }
            return (0, nil)
        }
        if let failure { throw failure }
        return try (stored.value ?? .failure(NativeClientError(kind: .other, library: "mariadb", code: 0, message: "no result"))).get()
    }

    /// Carries the stored rows out of the loop thread's step (written there, read after it resumed us).
    private final class StoredResult: @unchecked Sendable {
        var value: Result<QueryResult, NativeClientError>?
    }
}
