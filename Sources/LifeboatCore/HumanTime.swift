public import Foundation

/// Times as the status page and `lifeboat status` print them, the same in both.
public enum HumanTime {
    /// `2026-11-24 14:11:24 UTC`.
    public static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date) + " UTC"
    }

    /// `1.2 s`: seconds to a tenth (a step's or a drill's duration).
    public static func tenths(_ seconds: Double) -> String {
        "\((seconds * 10).rounded() / 10) s"
    }

    /// `42s`, `3m12s`, `2h05m`, `1d03h` (negative durations print as `0s`).
    public static func duration(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded()))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        if total < 86400 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        return "\(total / 86400)d\(String(format: "%02d", total % 86400 / 3600))h"
    }
}
