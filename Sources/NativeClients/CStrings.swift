#if canImport(Glibc)
import Glibc
#endif

/// C strings that stay put until this object goes: a non-blocking call reads its arguments
/// again in every continue call, long after Swift's temporary C strings would be gone.
final class CStrings: @unchecked Sendable {
    private let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String?]) {
        pointers = strings.map { $0.map { strdup($0)! } }
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }

    subscript(index: Int) -> UnsafePointer<CChar>? { pointers[index].map { UnsafePointer($0) } }
}
