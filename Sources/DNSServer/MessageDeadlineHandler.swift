import DNSQuery
import NIOCore

/// Closes a TCP connection whose next message is not whole within `timeout` of its first byte
/// (RFC 7766 §6.2.3: a client trickling a byte now and then does not keep its slot), or that
/// sends nothing for `timeout` after its last message (idle). Sits before the frame decoder and
/// only counts bytes: the two-byte length, then that many.
final class MessageDeadlineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let events: DNSEventCounter
    private var deadline: Scheduled<Void>?
    /// Between messages: nil. In one: the length bytes seen so far, then the bytes still to come.
    private var lengthBytes: [UInt8] = []
    private var remaining: Int?

    init(timeout: TimeAmount, events: DNSEventCounter) {
        self.timeout = timeout
        self.events = events
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var index = buffer.readerIndex
        let end = buffer.writerIndex
        while index < end {
            if remaining == nil {
                if lengthBytes.isEmpty { arm(context) }  // a message begins: its clock starts now, once
                lengthBytes.append(buffer.getInteger(at: index, as: UInt8.self)!)
                index += 1
                if lengthBytes.count == 2 { remaining = Int(lengthBytes[0]) << 8 | Int(lengthBytes[1]) }
            } else {
                let taken = min(remaining!, end - index)
                index += taken
                remaining! -= taken
            }
            if remaining == 0 {
                // Shorter than a DNS header: nothing to answer, and no sign of life either.
                guard Int(lengthBytes[0]) << 8 | Int(lengthBytes[1]) >= 12 else {
                    events.record(.tcpClosed("malformed"))
                    context.close(promise: nil)
                    return
                }
                remaining = nil
                lengthBytes.removeAll(keepingCapacity: true)
                arm(context)  // whole: the idle clock starts
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    private func arm(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.expired(context)
        }
    }

    private func expired(_ context: ChannelHandlerContext) {
        // An answer still draining to a slow reader (a long transfer) is not idleness.
        if remaining == nil && lengthBytes.isEmpty && !context.channel.isWritable {
            arm(context)
            return
        }
        events.record(.tcpClosed("timeout"))
        context.close(promise: nil)
    }
}
