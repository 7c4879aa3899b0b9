/// What a leader session needs of etcd: leases, create-if-absent and fenced writes. `EtcdClient`
/// is the real one; the property test runs a simulated one with partitions and a clock of its own.
public protocol CoordinationStore: Sendable {
    func grantLease(ttl: Duration) async throws(CoordinationError) -> Int64
    @discardableResult func keepAlive(_ lease: Int64) async throws(CoordinationError) -> Int64
    func revoke(_ lease: Int64) async throws(CoordinationError)
    func createIfAbsent(_ key: String, _ value: String, lease: Int64) async throws(CoordinationError) -> (created: Bool, current: EtcdValue?)
    /// Writes every pair in one transaction, only while `fence` is the key created at `createRevision` on `lease`.
    func fencedPut(_ puts: [(key: String, value: String)], fence: String, createRevision: Int64, lease: Int64) async throws(CoordinationError) -> Bool
}

extension EtcdClient: CoordinationStore {}
