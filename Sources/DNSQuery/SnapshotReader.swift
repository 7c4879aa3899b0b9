#if canImport(Glibc)
import Glibc
#endif

/// One snapshot held for a batch of UDP queries: its tables as plain pointers, taken once, so
/// answering costs no lock, no retain and no release per query.
public struct SnapshotReader {
    private let snapshot: ServingSnapshot
    private let view: ServingSnapshot.View
    private let keys: [TSIGKey]
    private let events: DNSEventCounter?

    /// Holds `snapshot` while this reader lives; signed queries are checked against `keys` and
    /// refusals counted in `events`.
    public init(_ snapshot: ServingSnapshot, keys: [TSIGKey] = [], events: DNSEventCounter? = nil) {
        self.snapshot = snapshot
        view = snapshot.view
        self.keys = keys
        self.events = events
    }

    /// Answers the UDP datagram `packet` into `out`, which has room for `room` bytes (at least
    /// `QueryResponder.maxUDPPayload`). Returns the response's length, or nil when the query gets
    /// no answer. The general path (rare questions) builds its answer in `scratch`.
    @inline(__always)
    public func answerUDP(_ packet: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer, room: Int,
                          scratch: inout [UInt8]) -> Int? {
        if let response = PreparedResponder.decide(packet, view, tcp: false) {
            PreparedResponder.write(response, question: packet, into: out)
            return response.size
        }
        switch QueryResponder.respondInGeneral(to: packet, using: snapshot, transport: .udp, into: &scratch) {
        case .send:
            break
        case .signed(let query):
            let now = UInt64(time(nil))
            guard case .send(let refused) = SignedResponder.respond(
                to: packet, query: query, using: snapshot, transport: .udp, keys: keys, now: now, into: &scratch) else { return nil }
            if let refused { events?.record(.tsigRefused(refused)) }
        case .drop, .transfer:
            return nil
        }
        guard scratch.count <= room else { return nil }
        scratch.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return scratch.count
    }
}
