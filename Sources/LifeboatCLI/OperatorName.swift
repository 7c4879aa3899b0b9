import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who runs the CLI, for the journal: `$SUDO_USER` (the person behind sudo), else the login name
/// of the calling uid from the password database — never a placeholder; the bare uid when the
/// database has no entry. `$USER` is not trusted: it is unset under cron and systemd.
enum OperatorName {
    static func current(environment: [String: String] = ProcessInfo.processInfo.environment, uid: uid_t = getuid()) -> String {
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty { return sudo }
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name, name.pointee != 0 { return String(cString: name) }
        return "uid \(uid)"
    }
}
