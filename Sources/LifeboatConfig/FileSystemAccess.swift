#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file-system questions validation asks, injectable so validation is testable without disk.
public struct FileSystemAccess: Sendable {
    /// What is at a path.
    public var status: @Sendable (String) -> FileStatus
    /// Whether a path is a file this user may execute.
    public var isExecutable: @Sendable (String) -> Bool

    /// Creates an access with custom answers (tests).
    public init(status: @escaping @Sendable (String) -> FileStatus, isExecutable: @escaping @Sendable (String) -> Bool) {
        self.status = status
        self.isExecutable = isExecutable
    }

    /// The real file system, as the calling user sees it.
    public static let live = FileSystemAccess(
        status: { path in
            var info = stat()
            guard stat(path, &info) == 0 else { return errno == EACCES ? .unreadable : .missing }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: return .directory
            case S_IFREG: return access(path, R_OK) == 0 ? .readableFile : .unreadable
            default: return .other
            }
        },
        isExecutable: { path in access(path, X_OK) == 0 })
}
