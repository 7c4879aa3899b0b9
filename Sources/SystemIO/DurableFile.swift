#if canImport(Glibc)
import Glibc
#endif

/// Small durable file operations for state files and journals: what they report as written has
/// reached the disk (fsync of the file and, for new names, of its directory).
public enum DurableFile {
    /// Replaces `path` with `text` atomically: write a temporary, fsync, rename, fsync the
    /// directory. A crash leaves the old or the new file, never half of one.
    public static func write(_ text: String, to path: String) throws(SystemError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw .last("open \(temporary)") }
        let written = writeAll(Array(text.utf8), to: descriptor)
        let synced = fsync(descriptor)
        close(descriptor)
        guard written, synced == 0 else { throw .last("write \(temporary)") }
        guard rename(temporary, path) == 0 else { throw .last("rename \(temporary)") }
        syncDirectory(of: path)
    }

    /// Appends `line` and a newline to `path` (created if missing), then fsyncs it.
    public static func append(line: String, to path: String) throws(SystemError) {
        let existed = access(path, F_OK) == 0
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw .last("open \(path)") }
        let written = writeAll(Array((line + "\n").utf8), to: descriptor)
        let synced = fsync(descriptor)
        close(descriptor)
        guard written, synced == 0 else { throw .last("append to \(path)") }
        if !existed { syncDirectory(of: path) }
    }

    /// Removes `path` if it exists (durably).
    public static func remove(_ path: String) throws(SystemError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .last("remove \(path)") }
        syncDirectory(of: path)
    }

    /// Creates `path` and its parents (mode 0750).
    public static func makeDirectories(_ path: String) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o750) != 0 && errno != EEXIST { throw .last("mkdir \(prefix)") }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    private static func syncDirectory(of path: String) {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
