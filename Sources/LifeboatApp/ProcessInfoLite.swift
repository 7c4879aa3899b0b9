#if canImport(Glibc)
import Glibc
#endif

/// Environment lookups without Foundation.
enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
