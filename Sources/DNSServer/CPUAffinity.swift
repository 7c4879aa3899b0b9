#if canImport(Glibc)
import Glibc
#endif
import CGlibcShims

/// The CPUs this process may use. The online count alone ignores the affinity mask, so a
/// daemon pinned with `taskset` or systemd's `CPUAffinity=` would otherwise run more threads
/// than CPUs and make them take turns.
public enum CPUAffinity {
    /// How many CPUs the affinity mask allows (at least 1).
    public static var usableCores: Int {
        let online = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var mask = [UInt64](repeating: 0, count: 16)  // 1024 CPUs, glibc's cpu_set_t
        let status = mask.withUnsafeMutableBytes { sched_getaffinity(0, $0.count, $0.baseAddress!) }
        guard status == 0 else { return online }
        let allowed = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        return max(1, min(allowed, online))
    }
}
