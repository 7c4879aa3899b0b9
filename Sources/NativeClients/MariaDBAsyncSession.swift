import CMariaDB

#if canImport(Glibc)
import Glibc
#endif

/// A connection driven by `MariaDBLoop`: statements run as non-blocking query and store calls,
/// all of one `run` in a single operation on the loop (one hand-over, not one per call).
final class MariaDBAsyncSession: MySQLSession, @unchecked Sendable {
    private let handle: MariaDBHandle
    private let loop: MariaDBLoop

    init(handle: MariaDBHandle, loop: MariaDBLoop) {
        self.handle = handle
        self.loop = loop
    }

    func run(_ statements: [String]) async throws(NativeClientError) -> [QueryResult] {
        let progress = Progress(statements)
        let failure = await loop.run(handle) { mysql, ready in progress.step(mysql, ready, handle: self.handle) }
        if let failure { throw failure }
        return progress.results
    }

    /// Where a run is: which statement, sent or being stored, and the rows so far. Touched only
    /// by the loop thread while the run is under way, read by the caller after it resumed.
    private final class Progress: @unchecked Sendable {
        let texts: CStrings  // read by every continue call, not only the start
        let lengths: [UInt]
        var results: [QueryResult] = []
        var storing = false
        var started = ContinuousClock.now

        init(_ statements: [String]) {
            texts = CStrings(statements)
            lengths = statements.map { UInt($0.utf8.count) }
        }

        /// Starts or continues the current call; on to the next statement whenever one completes.
        func step(_ mysql: UnsafeMutablePointer<MYSQL>, _ ready: Int32, handle: MariaDBHandle) -> (Int32, NativeClientError?) {
            var ready = ready
            while results.count < lengths.count {
                let index = results.count
                if !storing {
                    var result: Int32 = 0
                    if ready < 0 { started = ContinuousClock.now }
                    let status = ready < 0 ? mysql_real_query_start(&result, mysql, texts[index], lengths[index])
                                           : mysql_real_query_cont(&result, mysql, ready)
                    if status != 0 { return (status, nil) }
                    if result != 0 { return (0, MariaDBHandle.error(mysql, elapsed: ContinuousClock.now - started, limit: nil)) }
                    storing = true
                    ready = -1
                }
                var stored: UnsafeMutablePointer<MYSQL_RES>?
                let status = ready < 0 ? mysql_store_result_start(&stored, mysql) : mysql_store_result_cont(&stored, mysql, ready)
                if status != 0 { return (status, nil) }
                if let stored {
                    results.append(MariaDBHandle.rows(of: stored))
                } else {
                    switch handle.emptyOrError(elapsed: ContinuousClock.now - started) {
                    case .success(let empty): results.append(empty)
                    case .failure(let error): return (0, error)
                    }
                }
                storing = false
                ready = -1
            }
            return (0, nil)
        }
    }
}
