import DNSQuery
import LifeboatConfig
import NIOConcurrencyHelpers
import NIOCore

/// The open TCP connections across event loops (RFC 7766 §6.2.3, §10): at most `limit` at once
/// (at the limit, the one idle longest is closed to admit the new one) and `perClient` per
/// client (an IPv4 address, an IPv6 /64).
final class ConnectionLimiter: Sendable {
    let limit: Int
    let perClient: Int
    private let events: DNSEventCounter
    private let table = NIOLockedValueBox(Table())

    private struct Table {
        var next = 0
        var open: [Int: Connection] = [:]
        var perClient: [[UInt8]: Int] = [:]
    }

    private struct Connection {
        let channel: any Channel
        let client: [UInt8]
        var lastMessage: NIODeadline
    }

    init(limit: Int, perClient: Int, events: DNSEventCounter) {
        self.limit = limit
        self.perClient = perClient
        self.events = events
    }

    /// Admits `channel` from `address`: its ticket, or nil when its client has no slot left.
    /// At the limit the connection idle longest is closed (and forgotten) to make room.
    func admit(_ channel: any Channel, from address: String?) -> Int? {
        let client = Self.clientKey(address)
        let (ticket, evicted) = table.withLockedValue { table -> (Int?, (any Channel)?) in
            guard table.perClient[client, default: 0] < perClient else { return (nil, nil) }
            var evicted: (any Channel)?
            if table.open.count >= limit, let oldest = table.open.min(by: { $0.value.lastMessage < $1.value.lastMessage }) {
                evicted = oldest.value.channel
                Self.forget(oldest.key, in: &table)
            }
            table.next += 1
            table.open[table.next] = Connection(channel: channel, client: client, lastMessage: .now())
            table.perClient[client, default: 0] += 1
            return (table.next, evicted)
        }
        if ticket == nil { events.record(.tcpClosed("per_client")) }
        if let evicted {
            events.record(.tcpClosed("evicted"))
            evicted.close(promise: nil)
        }
        return ticket
    }

    /// A whole message arrived on `ticket`'s connection: it is not idle.
    func touch(_ ticket: Int) {
        table.withLockedValue { $0.open[ticket]?.lastMessage = .now() }
    }

    /// The connection closed (or was evicted: then nothing is left to do).
    func release(_ ticket: Int) {
        table.withLockedValue { Self.forget(ticket, in: &$0) }
    }

    var open: Int { table.withLockedValue { $0.open.count } }

    private static func forget(_ ticket: Int, in table: inout Table) {
        guard let connection = table.open.removeValue(forKey: ticket) else { return }
        table.perClient[connection.client, default: 1] -= 1
        if table.perClient[connection.client] == 0 { table.perClient[connection.client] = nil }
    }

    /// An IPv4 address, or an IPv6 address's /64.
    static func clientKey(_ address: String?) -> [UInt8] {
        guard let address, let ip = IPAddress(address) else { return [] }
        return ip.bytes.count == 16 ? Array(ip.bytes.prefix(8)) : ip.bytes
    }
}
