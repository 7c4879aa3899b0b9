import NIOConcurrencyHelpers

/// Counts open TCP connections across event loops and refuses those beyond the limit.
final class ConnectionLimiter: Sendable {
    let limit: Int
    private let count = NIOLockedValueBox(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when all are taken.
    func acquire() -> Bool {
        count.withLockedValue { value in
            guard value < limit else { return false }
            value += 1
            return true
        }
    }

    func release() {
        count.withLockedValue { $0 -= 1 }
    }

    var open: Int { count.withLockedValue { $0 } }
}
