#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the configuration needs to know about a path on disk.
public enum FileStatus: Sendable, Equatable {
    case readableFile
    case directory
    case missing
    case unreadable
    case other
}
