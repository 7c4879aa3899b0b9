/// One instance's claim to lead: a lease it keeps alive and a leader key created on that lease
/// if absent (Patroni's scheme). The key's `create_revision` is the fencing token: every write a
/// leader makes is a transaction that holds only while the key is still the one it created.
/// A leader that cannot renew stops acting before its lease can expire on the server: a step
/// may start only if it ends before (the last renewal sent + TTL − margin).
public actor LeaderSession {
    /// Leadership held: the fencing token and the lease it lives on.
    public struct Leadership: Sendable, Equatable {
        public let token: Int64
        public let lease: Int64
    }

    private let client: any CoordinationStore
    private let clock: @Sendable () -> ContinuousClock.Instant
    /// The leader key.
    public nonisolated let key: String
    private let identity: String
    private let ttl: Duration
    private let margin: Duration
    private var lease: Int64?
    /// When the last keepalive (or grant) that succeeded was sent: the lease lives at least TTL from then.
    private var renewedAt: ContinuousClock.Instant?
    /// Leadership, while held.
    public private(set) var leadership: Leadership?

    /// `identity` is written into the leader key (who leads); `margin` is kept in hand before
    /// the lease's earliest expiry.
    public init(client: any CoordinationStore, key: String, identity: String, ttl: Duration, margin: Duration = .seconds(1),
                clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        precondition(ttl > margin, "the TTL must exceed the margin")
        self.client = client
        self.clock = clock
        self.key = key
        self.identity = identity
        self.ttl = ttl
        self.margin = margin
    }

    /// Tries once to lead (granting a lease first when there is none). Returns who leads now:
    /// this instance's identity, another's, or nil when nobody does and the key could not be read.
    @discardableResult
    public func campaign() async throws(CoordinationError) -> String? {
        var lease = try await currentLease()
        let outcome: (created: Bool, current: EtcdValue?)
        do throws(CoordinationError) {
            outcome = try await client.createIfAbsent(key, identity, lease: lease)
        } catch where error.kind == .leaseLost {
            // The lease expired on the server (we could not renew it): start over on a new one.
            self.lease = nil
            leadership = nil
            lease = try await currentLease()
            outcome = try await client.createIfAbsent(key, identity, lease: lease)
        }
        let (created, current) = outcome
        // Creating the key does not extend the lease: only a grant or a keepalive does, so
        // `renewedAt` stays as they left it (a found bug: counting from here outlived the lease).
        if created, let current {
            leadership = Leadership(token: current.createRevision, lease: lease)
            return identity
        }
        if let current, current.value == identity, current.lease == lease {
            leadership = Leadership(token: current.createRevision, lease: lease)  // ours already
            return identity
        }
        leadership = nil
        if let current, current.value == identity {
            return "\(identity) (an earlier run, until its lease expires)"
        }
        return current?.value
    }

    /// Renews the lease. False when it is lost or could not be renewed; then leadership is gone
    /// (a lost lease) or running out (`mayStart` says when).
    public func renew() async -> Bool {
        guard let lease else { return false }
        let sent = clock()
        do throws(CoordinationError) {
            try await client.keepAlive(lease)
            renewedAt = sent
            return true
        } catch where error.kind == .leaseLost {
            self.lease = nil
            leadership = nil
            return false
        } catch {
            return false
        }
    }

    /// Whether a step that may take up to `stepLimit` can start at `now`: it must end before
    /// the lease could expire on the server, less the margin.
    public func mayStart(stepLimit: Duration, now: ContinuousClock.Instant? = nil) -> Bool {
        guard leadership != nil, let renewedAt else { return false }
        let now = now ?? clock()
        return now + stepLimit <= renewedAt + ttl - margin
    }

    /// Writes `key` as leader, fenced by the token; false when leadership is gone.
    public func fencedPut(_ target: String, _ value: String) async throws(CoordinationError) -> Bool {
        try await fencedPut([(target, value)])
    }

    /// Writes every pair in one transaction as leader, fenced by the token; false when leadership is gone.
    public func fencedPut(_ puts: [(key: String, value: String)]) async throws(CoordinationError) -> Bool {
        guard let leadership else { return false }
        return try await client.fencedPut(puts, fence: key, createRevision: leadership.token, lease: leadership.lease)
    }

    /// Gives leadership up (revokes the lease, which deletes the key).
    public func resign() async {
        if let lease { try? await client.revoke(lease) }
        lease = nil
        leadership = nil
        renewedAt = nil
    }

    /// The session's lease (granted now if there is none): the site's other keys live on it too,
    /// so they go when the site does.
    public func sessionLease() async throws(CoordinationError) -> Int64 {
        try await currentLease()
    }

    private func currentLease() async throws(CoordinationError) -> Int64 {
        if let lease { return lease }
        let sent = clock()
        let granted = try await client.grantLease(ttl: ttl)
        lease = granted
        renewedAt = sent
        return granted
    }
}
