import DomainNames
import DNSQuery
import DNSZone
import NIOCore

/// Answers DNS over TCP: pipelined queries answered in order, zone transfers streamed to
/// addresses the policy allows, idle connections closed, at most `limiter.limit` at once.
final class TCPQueryHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let store: SnapshotStore
    private let policy: TransferPolicy
    private let limiter: ConnectionLimiter
    private var holdsSlot = false
    private var scratch: [UInt8] = []

    private let counts: SharedQueryCounts

    init(store: SnapshotStore, policy: TransferPolicy, limiter: ConnectionLimiter, counts: SharedQueryCounts) {
        self.counts = counts
        self.store = store
        self.policy = policy
        self.limiter = limiter
    }

    func channelActive(context: ChannelHandlerContext) {
        holdsSlot = limiter.acquire()
        if !holdsSlot { context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if holdsSlot { limiter.release() }
        holdsSlot = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard holdsSlot else { return }
        let frame = unwrapInboundIn(data)
        let snapshot = store.current
        let disposition = frame.withUnsafeReadableBytes {
            QueryResponder.respond(to: $0, using: snapshot, transport: .tcp, into: &scratch)
        }
        switch disposition {
        case .drop:
            counts.record(response: nil)
            return
        case .send:
            counts.record(response: scratch)
            write(scratch, context: context)
        case .transfer(let query):
            transfer(query, frame: frame, snapshot: snapshot, context: context)
        }
    }

    private func transfer(_ query: ParsedQuery, frame: ByteBuffer, snapshot: ServingSnapshot, context: ChannelHandlerContext) {
        let qname = frame.getBytes(at: frame.readerIndex + 12, length: query.qnameLength).flatMap { DNSName(wire: $0) }
        guard let zone = snapshot.zones.first(where: { $0.origin == qname }) else {
            write(errorResponse(frame, query, rcode: RCode.notAuth), context: context)
            return
        }
        guard policy.permits(context.remoteAddress?.ipAddress) else {
            write(errorResponse(frame, query, rcode: RCode.refused), context: context)
            return
        }
        for message in ZoneTransferEncoder.messages(for: zone, query: query) {
            write(message, context: context)
        }
    }

    /// An answer with `rcode`, the query's question and nothing else.
    private func errorResponse(_ frame: ByteBuffer, _ query: ParsedQuery, rcode: UInt8) -> [UInt8] {
        guard let question = frame.getBytes(at: frame.readerIndex + 12, length: query.questionEnd - 12) else { return [] }
        var bytes: [UInt8] = []
        DNSHeader.write(
            &bytes, id: query.id, opcode: query.opcode, aa: false, tc: false, rd: query.recursionDesired, cd: false, rcode: rcode,
            counts: (1, 0, 0, 0))
        return bytes + question
    }

    private func write(_ bytes: [UInt8], context: ChannelHandlerContext) {
        guard !bytes.isEmpty else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count + 2)
        buffer.writeInteger(UInt16(bytes.count))
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
