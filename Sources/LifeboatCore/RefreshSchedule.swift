public import Foundation

/// When a dump-refreshed standby is refreshed (`[service.refresh] schedule`): at wall-clock
/// times every day in a time zone, or every interval. Pure: the instant is computed from an
/// anchor (the last refresh's start, or the daemon's start) and the time zone passed in.
public enum RefreshSchedule: Sendable, Equatable, CustomStringConvertible {
    /// Every day at these local times (`"03:00"`, `"14:30:15"`).
    case daily([TimeOfDay])
    /// Every interval after the last refresh began (`"every 6h"`).
    case every(Duration)

    /// A wall-clock time of day.
    public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// 0–23.
        public var hour: Int
        /// 0–59.
        public var minute: Int
        /// 0–59.
        public var second: Int

        /// Creates a time of day (the parser checks the ranges).
        public init(hour: Int, minute: Int, second: Int = 0) {
            self.hour = hour
            self.minute = minute
            self.second = second
        }

        public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool {
            (a.hour, a.minute, a.second) < (b.hour, b.minute, b.second)
        }

        public var description: String {
            let base = String(format: "%02d:%02d", hour, minute)
            return second == 0 ? base : base + String(format: ":%02d", second)
        }
    }

    /// Reads the schedule's entries: `"HH:MM"`, `"HH:MM:SS"` (daily) or one `"every DURATION"`
    /// (the configuration's `"30s"`, `"6h"` form).
    public static func parse(_ entries: [String]) -> Result<RefreshSchedule, ParseError> {
        guard !entries.isEmpty else { return .failure(ParseError(message: "is empty; expected \"03:00\", [\"03:00\", \"15:00\"] or \"every 6h\"")) }
        if entries.count == 1, entries[0].hasPrefix("every ") {
            let text = entries[0].dropFirst("every ".count).trimmingCharacters(in: .whitespaces)
            guard let interval = DurationText.parse(text), interval >= .seconds(1) else {
                return .failure(ParseError(message: "expected \"every\" and a duration of at least 1s such as \"every 6h\", got \"\(entries[0])\""))
            }
            return .success(.every(interval))
        }
        var times: [TimeOfDay] = []
        for entry in entries {
            guard let time = timeOfDay(entry) else {
                return .failure(ParseError(message: "expected a time of day \"HH:MM\" or \"HH:MM:SS\" (24-hour), or a single \"every 6h\", got \"\(entry)\""))
            }
            times.append(time)
        }
        return .success(.daily(Array(Set(times)).sorted()))
    }

    /// Why an entry was refused.
    public struct ParseError: Error, Sendable, Equatable {
        /// What was expected, and what was found.
        public var message: String
    }

    private static func timeOfDay(_ text: String) -> TimeOfDay? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        let second = parts.count == 3 ? Int(parts[2]) : 0
        guard let second, (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        return TimeOfDay(hour: hour, minute: minute, second: second)
    }

    /// The first scheduled instant strictly after `anchor`: the next of the daily times in
    /// `timeZone` (a time skipped by a clock change runs at the next time that exists; a
    /// repeated one, once), or `anchor` plus the interval.
    public func due(after anchor: Date, timeZone: TimeZone) -> Date {
        switch self {
        case .every(let interval):
            return anchor.adding(interval)
        case .daily(let times):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let candidates = times.compactMap { time in
                calendar.nextDate(
                    after: anchor, matching: DateComponents(hour: time.hour, minute: time.minute, second: time.second),
                    matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward)
            }
            // No candidate cannot happen for valid times; a day later keeps the schedule going.
            return candidates.min() ?? anchor.addingTimeInterval(86400)
        }
    }

    /// The longest time between two refreshes of the schedule (a day for one daily time).
    public var longestGap: Duration {
        switch self {
        case .every(let interval):
            return interval
        case .daily(let times):
            let seconds = times.map { $0.hour * 3600 + $0.minute * 60 + $0.second }.sorted()
            guard let first = seconds.first, let last = seconds.last else { return .seconds(86400) }
            let gaps = zip(seconds, seconds.dropFirst()).map { $1 - $0 } + [first + 86400 - last]
            return .seconds(gaps.max() ?? 86400)
        }
    }

    public var description: String {
        switch self {
        case .daily(let times): "daily at \(times.map(\.description).joined(separator: ", "))"
        case .every(let interval): "every \(DurationText.format(interval))"
        }
    }
}

