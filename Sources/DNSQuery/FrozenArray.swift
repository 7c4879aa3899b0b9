/// Elements copied once into memory of their own and never changed: the hot path reads them
/// through `buffer` without a retain, a release or a uniqueness check per access. The memory
/// lives as long as this object (hold it, e.g. `withExtendedLifetime`, while using `buffer`).
final class FrozenArray<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Element>
    /// The elements; valid while `self` lives.
    let buffer: UnsafeBufferPointer<Element>

    init(_ elements: [Element]) {
        storage = .allocate(capacity: max(elements.count, 1))
        _ = storage.initialize(from: elements)
        buffer = UnsafeBufferPointer(rebasing: storage[0..<elements.count])
    }

    deinit {
        storage.deallocate()
    }

    var count: Int { buffer.count }
}
