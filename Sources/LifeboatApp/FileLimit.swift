#if canImport(Glibc)
import Glibc
#endif

/// The process's open-file limit. A daemon started with the usual soft limit (1024) runs out of
/// descriptors after a thousand idle HTTP clients, and its checks then fail with EMFILE; the
/// hard limit is normally far higher, so the soft one is raised to it (at most 65,536).
enum FileLimit {
    /// Raises the soft limit; returns (before, after).
    @discardableResult
    static func raise(to wanted: rlim_t = 65536) -> (before: rlim_t, after: rlim_t) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (0, 0) }
        let before = limit.rlim_cur
        let target = min(wanted, limit.rlim_max)
        guard target > before else { return (before, before) }
        limit.rlim_cur = target
        return setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? (before, target) : (before, before)
    }
}
