import DNSQuery
import NIOConcurrencyHelpers

/// The TCP handlers' shared count.
final class SharedQueryCounts: Sendable {
    private let box = NIOLockedValueBox(QueryCounts())

    func record(response: [UInt8]?) {
        box.withLockedValue { $0.record(response: response) }
    }

    var value: QueryCounts { box.withLockedValue { $0 } }
}
