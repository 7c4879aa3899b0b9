/// Queries answered, by response code (0–15), plus those dropped unanswered (index 16). A UDP
/// handler counts in a plain array on its own event loop (no atomics on the hot path); TCP
/// handlers share one locked array (TCP is the slow path).
public struct QueryCounts: Sendable, Equatable {
    /// Index 16: queries that got no answer at all.
    public static let dropped = 16
    /// Counts by response code; `counts[dropped]` for dropped queries.
    public var counts = [UInt64](repeating: 0, count: 17)

    /// An empty count.
    public init() {}

    /// Counts one answer with `rcode` (its low four bits).
    @inline(__always)
    public mutating func record(rcode: UInt8) {
        counts[Int(rcode & 0x0F)] &+= 1
    }

    /// Counts one query that got no answer.
    @inline(__always)
    public mutating func recordDropped() {
        counts[Self.dropped] &+= 1
    }

    public mutating func record(response: [UInt8]?) {
        if let response, response.count > 3 {
            counts[Int(response[3] & 0x0F)] &+= 1
        } else {
            counts[Self.dropped] &+= 1
        }
    }

    public static func + (lhs: QueryCounts, rhs: QueryCounts) -> QueryCounts {
        var sum = lhs
        for index in sum.counts.indices { sum.counts[index] &+= rhs.counts[index] }
        return sum
    }
}

