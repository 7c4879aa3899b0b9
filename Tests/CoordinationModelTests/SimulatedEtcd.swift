import Coordination
import Synchronization

/// Time for the simulation: the store and every session read it; the test moves it on.
final class SimulatedClock: Sendable {
    private let base = ContinuousClock.now
    private let elapsed = Mutex<Duration>(.zero)

    func now() -> ContinuousClock.Instant { base + elapsed.withLock { $0 } }
    func advance(_ step: Duration) { elapsed.withLock { $0 += step } }
}

/// etcd as leader sessions see it: leases that expire `ttl` after the last keepalive the server
/// processed, keys on leases, revisions that only grow.
actor SimulatedEtcd {
    struct Key {
        var value: String
        var createRevision: Int64
        var lease: Int64
    }

    private let clock: SimulatedClock
    private var revision: Int64 = 1
    private var nextLease: Int64 = 100
    private(set) var leases: [Int64: (ttl: Duration, expiry: ContinuousClock.Instant)] = [:]
    private(set) var keys: [String: Key] = [:]
    /// Fenced writes that replaced a key that already existed (a journal entry must never be).
    private(set) var overwritten: [String] = []

    init(clock: SimulatedClock) { self.clock = clock }

    /// Drops the leases whose time is up, and their keys.
    private func expire() {
        let now = clock.now()
        for (id, lease) in leases where lease.expiry <= now {
            leases[id] = nil
            keys = keys.filter { $0.value.lease != id }
        }
    }

    func grant(ttl: Duration) -> Int64 {
        expire()
        nextLease += 1
        leases[nextLease] = (ttl, clock.now() + ttl)
        return nextLease
    }

    func keepAlive(_ id: Int64) throws(CoordinationError) -> Int64 {
        expire()
        guard let lease = leases[id] else { throw CoordinationError(.leaseLost, "lease \(id) expired") }
        leases[id] = (lease.ttl, clock.now() + lease.ttl)
        return lease.ttl.components.seconds
    }

    func revoke(_ id: Int64) {
        leases[id] = nil
        keys = keys.filter { $0.value.lease != id }
    }

    func createIfAbsent(_ key: String, _ value: String, lease: Int64) throws(CoordinationError) -> (Bool, EtcdValue?) {
        expire()
        if let existing = keys[key] { return (false, Self.value(existing)) }
        guard leases[lease] != nil else { throw CoordinationError(.leaseLost, "requested lease not found") }
        revision += 1
        keys[key] = Key(value: value, createRevision: revision, lease: lease)
        return (true, Self.value(keys[key]!))
    }

    func fencedPut(_ puts: [(key: String, value: String)], fence: String, createRevision: Int64, lease: Int64) -> Bool {
        expire()
        guard let holder = keys[fence], holder.createRevision == createRevision, holder.lease == lease else { return false }
        revision += 1
        for (key, value) in puts {
            if keys[key] != nil { overwritten.append(key) }
            keys[key] = Key(value: value, createRevision: keys[key]?.createRevision ?? revision, lease: 0)
        }
        return true
    }

    /// The values under `prefix`, sorted by key (a linearizable range read).
    func list(prefix: String) -> [(key: String, value: String)] {
        expire()
        return keys.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.value) }
    }

    /// When `lease` can expire at the earliest, as the server has it (nil: gone).
    func expiry(of id: Int64) -> ContinuousClock.Instant? {
        expire()
        return leases[id]?.expiry
    }

    private static func value(_ key: Key) -> EtcdValue {
        EtcdValue(value: key.value, createRevision: key.createRevision, modRevision: key.createRevision, lease: key.lease)
    }
}

/// One instance's path to the simulated etcd: it can be cut (every call fails unreachable), and
/// an answer can be lost after the server carried the call out.
final class SimulatedPath: CoordinationStore, Sendable {
    let etcd: SimulatedEtcd
    private let state = Mutex((cut: false, loseNextAnswer: false))

    init(etcd: SimulatedEtcd) { self.etcd = etcd }

    func cut(_ value: Bool) { state.withLock { $0.cut = value } }
    func loseNextAnswer() { state.withLock { $0.loseNextAnswer = true } }

    private func before() throws(CoordinationError) {
        if state.withLock({ $0.cut }) { throw CoordinationError(.unreachable, "path cut") }
    }

    private func after() throws(CoordinationError) {
        let lost = state.withLock { state in
            defer { state.loseNextAnswer = false }
            return state.loseNextAnswer
        }
        if lost { throw CoordinationError(.unreachable, "answer lost") }
    }

    func grantLease(ttl: Duration) async throws(CoordinationError) -> Int64 {
        try before()
        let id = await etcd.grant(ttl: ttl)
        try after()
        return id
    }

    func keepAlive(_ lease: Int64) async throws(CoordinationError) -> Int64 {
        try before()
        let ttl = try await etcd.keepAlive(lease)
        try after()
        return ttl
    }

    func revoke(_ lease: Int64) async throws(CoordinationError) {
        try before()
        await etcd.revoke(lease)
    }

    func createIfAbsent(_ key: String, _ value: String, lease: Int64) async throws(CoordinationError) -> (created: Bool, current: EtcdValue?) {
        try before()
        let outcome = try await etcd.createIfAbsent(key, value, lease: lease)
        try after()
        return outcome
    }

    func fencedPut(_ puts: [(key: String, value: String)], fence: String, createRevision: Int64, lease: Int64) async throws(CoordinationError) -> Bool {
        try before()
        let written = await etcd.fencedPut(puts, fence: fence, createRevision: createRevision, lease: lease)
        try after()
        return written
    }

    /// A linearizable range read through this path.
    func list(prefix: String) async throws(CoordinationError) -> [(key: String, value: String)] {
        try before()
        let values = await etcd.list(prefix: prefix)
        try after()
        return values
    }
}
