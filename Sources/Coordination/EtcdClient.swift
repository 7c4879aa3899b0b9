import Synchronization
import Foundation
public import NativeClients

/// A key as stored in etcd.
public struct EtcdValue: Sendable, Equatable {
    public var value: String
    /// The revision that created the key: the fencing token of a leader key.
    public var createRevision: Int64
    public var modRevision: Int64
    /// The lease the key lives on (0: none).
    public var lease: Int64

    public init(value: String, createRevision: Int64, modRevision: Int64, lease: Int64) {
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.lease = lease
    }
}

/// etcd's v3 API through its JSON gateway, over Lifeboat's curl handle: one POST per call, as
/// Patroni does (the gateway cannot carry bidirectional streams). Calls go to one endpoint and
/// move to the next when it does not answer or has no leader; `Grpc-Timeout` bounds each call on
/// the server, so a write without quorum fails after `timeout` instead of etcd's 7 s.
public final class EtcdClient: Sendable {
    private let endpoints: [String]
    private let curl: CurlMulti
    private let timeout: Duration
    private let sourceAddress: String?
    private let tls: EtcdTLS
    private let credentials: EtcdCredentials?
    private let current = Mutex<Int>(0)
    /// The auth token of `credentials` (etcd's simple tokens expire: a call refused for it gets a new one).
    private let token = Mutex<String?>(nil)

    /// `endpoints` like `http://10.1.0.1:2379`; `timeout` bounds each call; calls leave from
    /// `sourceAddress` when given; `tls` verifies https:// endpoints and presents a client
    /// certificate; `credentials` authenticate as an etcd user.
    public init(endpoints: [String], curl: CurlMulti, timeout: Duration = .seconds(2), sourceAddress: String? = nil,
                tls: EtcdTLS = EtcdTLS(), credentials: EtcdCredentials? = nil) {
        self.sourceAddress = sourceAddress
        self.tls = tls
        self.credentials = credentials
        precondition(!endpoints.isEmpty, "at least one etcd endpoint")
        self.endpoints = endpoints
        self.curl = curl
        self.timeout = timeout
    }

    /// A lease of `ttl` (at least 2 s, etcd's minimum); returns its ID.
    public func grantLease(ttl: Duration) async throws(CoordinationError) -> Int64 {
        let answer: EtcdWire.LeaseGrantResponse = try await call("lease/grant", ["TTL": String(ttl.components.seconds)])
        guard let id = answer.ID?.value, answer.TTL != nil else {
            throw CoordinationError(.protocolError, "lease grant answered without an ID: \(answer.error ?? "")")
        }
        return id
    }

    /// Renews `lease`; returns its remaining TTL in seconds. An expired or unknown lease answers
    /// without a TTL: that is `leaseLost`.
    @discardableResult
    public func keepAlive(_ lease: Int64) async throws(CoordinationError) -> Int64 {
        let answer: EtcdWire.KeepAliveResponse = try await call("lease/keepalive", ["ID": String(lease)])
        guard let ttl = answer.result?.TTL?.value, ttl > 0 else { throw CoordinationError(.leaseLost, "lease \(lease) expired") }
        return ttl
    }

    /// Ends `lease`, deleting its keys.
    public func revoke(_ lease: Int64) async throws(CoordinationError) {
        let _: EtcdWire.PutResponse = try await call("lease/revoke", ["ID": String(lease)])
    }

    /// Writes `key`, on `lease` if given; returns the new revision.
    @discardableResult
    public func put(_ key: String, _ value: String, lease: Int64? = nil) async throws(CoordinationError) -> Int64 {
        var body: [String: Any] = ["key": EtcdWire.base64(key), "value": EtcdWire.base64(value)]
        if let lease { body["lease"] = String(lease) }
        let answer: EtcdWire.PutResponse = try await call("kv/put", body)
        return answer.header?.revision?.value ?? 0
    }

    /// Deletes `key`; returns whether it existed (so of several deleting it, one learns it did).
    @discardableResult
    public func delete(_ key: String) async throws(CoordinationError) -> Bool {
        let answer: EtcdWire.DeleteResponse = try await call("kv/deleterange", ["key": EtcdWire.base64(key)])
        return (answer.deleted?.value ?? 0) > 0
    }

    /// Reads `key` (linearizable unless `serializable`, which a member without quorum still answers).
    public func get(_ key: String, serializable: Bool = false) async throws(CoordinationError) -> EtcdValue? {
        var body: [String: Any] = ["key": EtcdWire.base64(key)]
        if serializable { body["serializable"] = true }
        let answer: EtcdWire.RangeResponse = try await call("kv/range", body)
        return answer.kvs?.first.map(Self.value)
    }

    /// Every key under `prefix`, sorted by key (linearizable unless `serializable`); with
    /// `changedSince`, only keys modified after that revision.
    public func list(prefix: String, serializable: Bool = false, changedSince: Int64? = nil) async throws(CoordinationError) -> [(key: String, value: EtcdValue)] {
        var end = Array(prefix.utf8)
        precondition(!end.isEmpty && end.last! < 0xFF, "a prefix ending in a byte below 0xFF")
        end[end.count - 1] += 1
        var body: [String: Any] = ["key": EtcdWire.base64(prefix), "range_end": Data(end).base64EncodedString()]
        if serializable { body["serializable"] = true }
        if let changedSince { body["min_mod_revision"] = String(changedSince + 1) }
        let answer: EtcdWire.RangeResponse = try await call("kv/range", body)
        return (answer.kvs ?? []).map { (EtcdWire.text($0.key) ?? "", Self.value($0)) }
    }

    /// Creates `key` with `value` on `lease` unless it exists. Returns whether it was created and
    /// the key as it now is (ours, or the holder's).
    public func createIfAbsent(_ key: String, _ value: String, lease: Int64) async throws(CoordinationError) -> (created: Bool, current: EtcdValue?) {
        let k = EtcdWire.base64(key)
        let body: [String: Any] = [
            "compare": [["key": k, "target": "CREATE", "result": "EQUAL", "create_revision": "0"]],
            "success": [["request_put": ["key": k, "value": EtcdWire.base64(value), "lease": String(lease)]]],
            "failure": [["request_range": ["key": k]]],
        ]
        let answer: EtcdWire.TxnResponse = try await call("kv/txn", body)
        if answer.succeeded == true {
            return (true, try await get(key))
        }
        return (false, answer.responses?.first?.response_range?.kvs?.first.map(Self.value))
    }

    /// Writes every pair (in one transaction) only while `fence` is the key created at
    /// `createRevision` on `lease`: a leader's write, refused once its leadership is gone
    /// (another holder, or none).
    public func fencedPut(_ puts: [(key: String, value: String)], fence: String, createRevision: Int64, lease: Int64) async throws(CoordinationError) -> Bool {
        let f = EtcdWire.base64(fence)
        let body: [String: Any] = [
            "compare": [
                ["key": f, "target": "CREATE", "result": "EQUAL", "create_revision": String(createRevision)],
                ["key": f, "target": "LEASE", "result": "EQUAL", "lease": String(lease)],
            ],
            "success": puts.map { ["request_put": ["key": EtcdWire.base64($0.key), "value": EtcdWire.base64($0.value)]] },
        ]
        let answer: EtcdWire.TxnResponse = try await call("kv/txn", body)
        return answer.succeeded == true
    }

    private static func value(_ kv: EtcdWire.KeyValue) -> EtcdValue {
        EtcdValue(value: EtcdWire.text(kv.value) ?? "", createRevision: kv.create_revision?.value ?? 0,
                  modRevision: kv.mod_revision?.value ?? 0, lease: kv.lease?.value ?? 0)
    }

    /// POSTs `body` to `/v3/<path>` with the user's token (authenticating first when there is
    /// none, and once more when etcd refuses an expired one).
    private func call<Answer: Decodable>(_ path: String, _ body: [String: Any]) async throws(CoordinationError) -> Answer {
        guard let credentials else { return try await post(path, body, token: nil) }
        for attempt in 0..<2 {
            let current: String
            if let known = token.withLock({ $0 }) {
                current = known
            } else {
                let answer: EtcdWire.AuthenticateResponse = try await post(
                    "auth/authenticate", ["name": credentials.user, "password": credentials.password], token: nil)
                guard let fresh = answer.token else { throw CoordinationError(.rejected, "etcd gave user \(credentials.user) no token") }
                token.withLock { $0 = fresh }
                current = fresh
            }
            do throws(CoordinationError) {
                return try await post(path, body, token: current)
            } catch where error.kind == .rejected && error.message.contains("auth token") && attempt == 0 {
                token.withLock { $0 = nil }  // expired or revoked: authenticate again
            }
        }
        throw CoordinationError(.rejected, "etcd refused the token of user \(credentials.user)")
    }

    /// POSTs `body` to `/v3/<path>`: on the current endpoint, then on each other one while they
    /// do not answer or have no leader.
    private func post<Answer: Decodable>(_ path: String, _ body: [String: Any], token: String?) async throws(CoordinationError) -> Answer {
        let json: String
        do { json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self) } catch {
            throw CoordinationError(.protocolError, "cannot encode the request: \(error)")
        }
        // "hasleader" makes a member without a raft leader refuse at once rather than wait; a
        // serializable read must not carry it, or a member cut off from quorum refuses to say what
        // it holds ("etcdserver: no leader", measured: ~2 s after losing the leader).
        let leaderHeader = (body["serializable"] as? Bool) == true ? [] : ["Grpc-Metadata-hasleader: true"]
        let first = current.withLock { $0 }
        var lastError = CoordinationError(.unreachable, "no endpoint")
        for attempt in 0..<endpoints.count {
            let index = (first + attempt) % endpoints.count
            let milliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
            var request = HTTPRequest(
                url: "\(endpoints[index])/v3/\(path)", timeout: timeout + .milliseconds(500),
                headers: ["Content-Type: application/json", "Grpc-Timeout: \(milliseconds)m"] + leaderHeader
                    + (token.map { ["Authorization: \($0)"] } ?? []),
                maxBodyBytes: 4 << 20, caFile: tls.caFile, userAgent: "Lifeboat (etcd)", postBody: json, sourceAddress: sourceAddress)
            request.clientCertificate = tls.clientCertificate
            do {
                let response = try await curl.perform(request)
                let data = Data(response.body)
                if response.status == 200 {
                    do {
                        let answer = try JSONDecoder().decode(Answer.self, from: data)
                        current.withLock { $0 = index }
                        return answer
                    } catch {
                        throw CoordinationError(.protocolError, "\(endpoints[index]): unreadable answer to \(path): \(error)")
                    }
                }
                let failure = try? JSONDecoder().decode(EtcdWire.Failure.self, from: data)
                // Not every refusal is JSON: the gateway answers a client certificate with a CommonName in plain text.
                let said = failure?.message ?? failure?.error ?? String(decoding: data.prefix(300), as: UTF8.self)
                let message = "\(endpoints[index]): HTTP \(response.status) \(said.trimmingCharacters(in: .whitespacesAndNewlines))"
                switch (response.status, failure?.code) {
                case (_, 5?) where path.hasPrefix("lease") || message.contains("lease"):
                    throw CoordinationError(.leaseLost, message)
                case (503, _), (504, _), (_, 4?), (_, 14?):
                    lastError = CoordinationError(.noQuorum, message)  // this member cannot decide: try another
                default:
                    throw CoordinationError(.rejected, message)
                }
            } catch let error as CoordinationError {
                throw error
            } catch {
                lastError = CoordinationError(.unreachable, "\(endpoints[index]): \(error)")
            }
        }
        current.withLock { $0 = (first + 1) % endpoints.count }
        throw lastError
    }
}

/// TLS to etcd: the CA that signed the members' certificates, and a client certificate when
/// the members ask for one (`--client-cert-auth`).
public struct EtcdTLS: Sendable {
    public var caFile: String?
    public var clientCertificate: (certFile: String, keyFile: String)?

    public init(caFile: String? = nil, clientCertificate: (certFile: String, keyFile: String)? = nil) {
        self.caFile = caFile
        self.clientCertificate = clientCertificate
    }
}

/// An etcd user and its password (read from a file; never logged).
public struct EtcdCredentials: Sendable, CustomStringConvertible {
    public let user: String
    let password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    public var description: String { "etcd user \(user)" }
}
