import DNSQuery
import NIOCore

/// Answers UDP queries: each datagram in, one response out, flushed once per read batch.
final class UDPQueryHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let store: SnapshotStore
    private var scratch: [UInt8] = []
    private var pendingFlush = false
    /// The snapshot for the current read batch: taken once per batch, not once per datagram,
    /// so a swap is seen from the next batch on (microseconds later).
    private var batchSnapshot: ServingSnapshot?
    /// What this handler answered; read on its event loop (`DNSServer.queryCounts()`).
    private(set) var counts = QueryCounts()

    init(store: SnapshotStore) {
        self.store = store
        scratch.reserveCapacity(1232)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let snapshot = batchSnapshot ?? store.current
        batchSnapshot = snapshot
        let disposition = envelope.data.withUnsafeReadableBytes {
            QueryResponder.respond(to: $0, using: snapshot, transport: .udp, into: &scratch)
        }
        guard disposition == .send else {
            counts.record(response: nil)
            return
        }
        counts.record(response: scratch)
        let response = context.channel.allocator.buffer(bytes: scratch)
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: response)), promise: nil)
        pendingFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        batchSnapshot = nil
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A failed send (e.g. ICMP unreachable surfaced as ECONNREFUSED) concerns one client only.
    }
}
