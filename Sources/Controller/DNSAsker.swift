import DomainNames
import LifeboatConfig
import NIOCore
import NIOPosix

/// Asks one DNS server one question over UDP and returns its answer (nil when none came in time).
struct DNSAsker: Sendable {
    let group: any EventLoopGroup

    /// The answer to `name`'s `type` from `server`, within `timeout`.
    func ask(_ server: LifeboatConfig.SocketAddress, name: DNSName, type: UInt16, timeout: Duration) async throws -> DNSAnswer? {
        let id = UInt16.random(in: 0...UInt16.max)
        let remote = try NIOCore.SocketAddress(ipAddress: server.address.description, port: Int(server.port))
        let loop = group.next()
        let promise = loop.makePromise(of: DNSAnswer?.self)
        let channel = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AnswerHandler(id: id, promise: promise))
                }
            }
            .bind(host: server.address.isIPv6 ? "::" : "0.0.0.0", port: 0).get()
        defer { channel.close(promise: nil) }
        let timer = channel.eventLoop.scheduleTask(in: .milliseconds(timeout.wholeMilliseconds)) { promise.succeed(nil) }
        defer { timer.cancel() }
        let buffer = channel.allocator.buffer(bytes: DNSAnswer.query(id: id, name: name, type: type))
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer))
        return try await promise.futureResult.get()
    }
}

/// Completes the promise with the first well-formed answer carrying the query's ID.
private final class AnswerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let id: UInt16
    private let promise: EventLoopPromise<DNSAnswer?>

    init(id: UInt16, promise: EventLoopPromise<DNSAnswer?>) {
        self.id = id
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data).data
        guard let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes),
              let answer = DNSAnswer.parse(bytes), answer.id == id else { return }
        promise.succeed(answer)
    }
}
