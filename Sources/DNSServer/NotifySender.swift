import Foundation
public import DNSQuery
public import DomainNames
import DNSZone
public import Logging
public import NIOCore
import NIOPosix
public import LifeboatConfig

/// Sends NOTIFY (RFC 1996) to the secondaries after each change, retrying with backoff until
/// each acknowledges or the tries run out. Never blocks the caller.
public final class NotifySender: Sendable {
    private let targets: [(address: LifeboatConfig.SocketAddress, key: TSIGKey?)]
    private let group: any EventLoopGroup
    private let logger: Logger
    /// Waits before giving up on each try; their count is the number of tries.
    let timeouts: [Duration]

    /// Creates a sender for `targets`, each NOTIFY signed with its target's key when it has one.
    public init(targets: [(address: LifeboatConfig.SocketAddress, key: TSIGKey?)], group: any EventLoopGroup, logger: Logger,
                timeouts: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16)]) {
        self.targets = targets
        self.group = group
        self.logger = logger
        self.timeouts = timeouts
    }

    /// A sender for unsigned NOTIFYs to `addresses`.
    public convenience init(targets addresses: [LifeboatConfig.SocketAddress], group: any EventLoopGroup, logger: Logger,
                            timeouts: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16)]) {
        self.init(targets: addresses.map { ($0, nil) }, group: group, logger: logger, timeouts: timeouts)
    }

    /// Notifies every target of `zone`'s new `serial`, each in its own task.
    public func notify(zone: DNSName, serial: UInt32) {
        for target in targets {
            Task { await self.notify(target.address, key: target.key, zone: zone, serial: serial) }
        }
    }

    /// Sends until acknowledged (NOERROR) or refused; returns whether it was acknowledged.
    @discardableResult
    func notify(_ target: LifeboatConfig.SocketAddress, key: TSIGKey? = nil, zone: DNSName, serial: UInt32) async -> Bool {
        for (attempt, timeout) in timeouts.enumerated() {
            let id = UInt16.random(in: 0...UInt16.max)
            var message = Self.message(id: id, zone: zone)
            if let key { TSIG.sign(&message, key: key, time: UInt64(Date().timeIntervalSince1970), prior: nil) }
            do {
                switch try await send(to: target, message: message, id: id, timeout: timeout) {
                case 0?:
                    logger.info("dns.notify.acknowledged", metadata: [
                        "dns.zone": "\(zone)", "dns.serial": "\(serial)", "dns.secondary": "\(target)", "dns.attempt": "\(attempt + 1)"])
                    return true
                case let rcode?:
                    // A refusal (a wrong key, a zone the secondary does not have) does not get better with retries.
                    logger.error("dns.notify.refused", metadata: [
                        "dns.zone": "\(zone)", "dns.serial": "\(serial)", "dns.secondary": "\(target)", "dns.rcode": "\(rcode)",
                        "dns.key": "\(key.map { "\($0.name)" } ?? "none")"])
                    return false
                case nil:
                    break
                }
            } catch {
                logger.debug("dns.notify.failed", metadata: ["dns.secondary": "\(target)", "error": "\(error)"])
            }
        }
        logger.error("dns.notify.unacknowledged", metadata: [
            "dns.zone": "\(zone)", "dns.serial": "\(serial)", "dns.secondary": "\(target)", "dns.tries": "\(timeouts.count)"])
        return false
    }

    /// A NOTIFY for the zone's SOA: opcode 4, AA set, one question.
    static func message(id: UInt16, zone: DNSName) -> [UInt8] {
        var message: [UInt8] = []
        DNSHeader.write(&message, id: id, response: false, opcode: 4, aa: true, tc: false, rd: false, cd: false, rcode: 0, counts: (1, 0, 0, 0))
        return message + zone.wire + [0, UInt8(RRType.soa), 0, 1]
    }

    /// The answer's rcode, or nil when none came in time.
    private func send(to target: LifeboatConfig.SocketAddress, message: [UInt8], id: UInt16, timeout: Duration) async throws -> UInt8? {
        let remote = try NIOCore.SocketAddress(ipAddress: target.address.description, port: Int(target.port))
        let loop = group.next()
        let promise = loop.makePromise(of: UInt8?.self)
        let channel = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NotifyAnswerHandler(id: id, promise: promise))
                }
            }
            .bind(host: target.address.isIPv6 ? "::" : "0.0.0.0", port: 0).get()
        defer { channel.close(promise: nil) }
        let milliseconds = timeout.wholeMilliseconds
        let timer = channel.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) { promise.succeed(nil) }
        defer { timer.cancel() }
        let buffer = channel.allocator.buffer(bytes: message)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer))
        return try await promise.futureResult.get()
    }
}

/// Completes the promise with its rcode when the NOTIFY answer with the right ID arrives.
private final class NotifyAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let id: UInt16
    private let promise: EventLoopPromise<UInt8?>

    init(id: UInt16, promise: EventLoopPromise<UInt8?>) {
        self.id = id
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).data
        guard let header = bytes.getBytes(at: bytes.readerIndex, length: 4) else { return }
        let answerID = UInt16(header[0]) << 8 | UInt16(header[1])
        let isNotifyAnswer = header[2] & 0x80 != 0 && (header[2] >> 3) & 0x0F == 4
        if answerID == id && isNotifyAnswer { promise.succeed(header[3] & 0x0F) }
    }
}
