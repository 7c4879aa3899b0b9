import DomainNames
import DNSQuery
import DNSZone
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Answers DNS over TCP: pipelined queries answered in order, zone transfers streamed to
/// addresses the policy allows; the limiter admits the connection (`MessageDeadlineHandler`
/// closes slow ones).
final class TCPQueryHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let store: SnapshotStore
    private let policy: TransferPolicy
    private let limiter: ConnectionLimiter
    private var ticket: Int?
    private var scratch: [UInt8] = []

    private let counts: SharedQueryCounts
    private let events: DNSEventCounter

    private let keys: [TSIGKey]

    init(store: SnapshotStore, policy: TransferPolicy, keys: [TSIGKey], limiter: ConnectionLimiter, counts: SharedQueryCounts,
         events: DNSEventCounter) {
        self.keys = keys
        self.counts = counts
        self.events = events
        self.store = store
        self.policy = policy
        self.limiter = limiter
    }

    func channelActive(context: ChannelHandlerContext) {
        ticket = limiter.admit(context.channel, from: context.remoteAddress?.ipAddress)
        if ticket == nil { context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let ticket { limiter.release(ticket) }
        ticket = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let ticket else { return }
        limiter.touch(ticket)
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
            transfer(query, signing: nil, frame: frame, snapshot: snapshot, context: context)
        case .signed(let query):
            let now = UInt64(time(nil))
            let outcome = frame.withUnsafeReadableBytes {
                SignedResponder.respond(to: $0, query: query, using: snapshot, transport: .tcp, keys: keys, now: now, into: &scratch)
            }
            switch outcome {
            case .send(let refused):
                if let refused { events.record(.tsigRefused(refused)) }
                counts.record(response: scratch)
                write(scratch, context: context)
            case .drop:
                counts.record(response: nil)
            case .transfer(let query, let signing):
                transfer(query, signing: signing, frame: frame, snapshot: snapshot, context: context)
            }
        }
    }

    /// Streams `query`'s transfer when the policy allows its address (and key), each message
    /// signed when the request was; otherwise NOTAUTH (a zone not served) or REFUSED.
    private func transfer(_ query: ParsedQuery, signing: SignedResponder.TransferSigning?, frame: ByteBuffer, snapshot: ServingSnapshot,
                          context: ChannelHandlerContext) {
        let qname = frame.getBytes(at: frame.readerIndex + 12, length: query.qnameLength).flatMap { DNSName(wire: $0) }
        let now = UInt64(time(nil))
        var messages: [[UInt8]]
        let address = context.remoteAddress?.ipAddress
        if let zone = snapshot.zones.first(where: { $0.origin == qname }) {
            if policy.permits(address, signedWith: signing?.key.name) {
                let transfer = ZoneTransferEncoder.messages(for: zone, query: query)
                events.record(.transfer(transfer.kind))
                messages = transfer.messages
            } else {
                if signing == nil && policy.needsKey(address) { events.record(.tsigRefused(nil)) }
                messages = [errorResponse(frame, query, rcode: RCode.refused)]
            }
        } else {
            messages = [errorResponse(frame, query, rcode: RCode.notAuth)]
        }
        signing?.sign(&messages, now: now)
        counts.record(response: messages.first)
        for message in messages {
            write(message, context: context)
        }
    }

    /// An answer with `rcode`, the query's question and nothing else (an OPT when it had one).
    private func errorResponse(_ frame: ByteBuffer, _ query: ParsedQuery, rcode: UInt8) -> [UInt8] {
        var bytes: [UInt8] = []
        frame.withUnsafeReadableBytes { QueryResponder.writeError(&bytes, query, $0, rcode: rcode) }
        return bytes
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

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
