#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads secrets (passwords, tokens) from files; they never travel on command lines or in logs.
public enum SecretFile {
    /// The file's content without a trailing newline.
    public static func read(_ path: String) throws(SystemError) -> String {
        guard let file = fopen(path, "r") else {
            throw .last("cannot read secret file \(path)")
        }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = fread(&bytes, 1, bytes.count, file)
        var text = String(decoding: bytes[0..<count], as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}
