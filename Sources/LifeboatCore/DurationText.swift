/// Durations as the config writes them: `"500ms"`, `"2s"`, `"5m"`, `"1h"`, `"1m30s"`.
public enum DurationText {
    /// Parses a duration; nil when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        var total = Duration.zero
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(amount)
            case "s": total += .seconds(amount)
            case "m": total += .seconds(amount * 60)
            case "h": total += .seconds(amount * 3600)
            default: return nil
            }
        }
        return total
    }

    /// Formats a duration the way the config writes it (`"1m30s"`, `"250ms"`).
    public static func format(_ duration: Duration) -> String {
        let totalMilliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if totalMilliseconds == 0 { return "0s" }
        var text = ""
        var seconds = totalMilliseconds / 1000
        let milliseconds = totalMilliseconds % 1000
        for (unit, size) in [("h", Int64(3600)), ("m", 60), ("s", 1)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        if milliseconds > 0 { text += "\(milliseconds)ms" }
        return text
    }
}
