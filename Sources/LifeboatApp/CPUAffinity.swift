#if canImport(Glibc)
import Glibc
#endif
import CGlibcShims
import NIOCore

/// How many event loops to run: the CPUs this process may use. NIO's `System.coreCount`
/// honours cgroups but not the affinity mask, so a daemon pinned with `taskset` or systemd's
/// `CPUAffinity=` would otherwise run more loops than CPUs and make them take turns.
enum CPUAffinity {
    static var usableCores: Int {
        var mask = [UInt64](repeating: 0, count: 16)  // 1024 CPUs, glibc's cpu_set_t
        let status = mask.withUnsafeMutableBytes { sched_getaffinity(0, $0.count, $0.baseAddress!) }
        guard status == 0 else { return System.coreCount }
        let allowed = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        return max(1, min(allowed, System.coreCount))
    }
}
