import Foundation
public import LifeboatCore

/// `[service.refresh]`: a standby without replication that Lifeboat refreshes from dumps. The
/// command loads a copy into a scratch database beside the live one
/// (`LIFEBOAT_REFRESH_DATABASE`); Lifeboat verifies it and swaps it in with one `RENAME TABLE`.
public struct RefreshSettings: Sendable, Equatable {
    /// `command`: loads the copy into `$LIFEBOAT_REFRESH_DATABASE` (e.g. the dump pipeline). Required.
    public var command: [String]
    /// `schedule`: `"03:00"`, `["03:00", "15:00"]` (daily, in the service's `time_zone`) or `"every 6h"`. Required.
    public var schedule: RefreshSchedule
    /// `timeout`: the longest a refresh may run; it is ended then. Default 1 h.
    public var timeout: Duration
    /// `verify`: a query returning the new data's age in seconds (must be within `max_lag`), run
    /// on the scratch copy before the swap. Default: the standby's MySQL check's `lag_query`.
    public var verify: String

    /// Creates settings with every field given.
    public init(command: [String], schedule: RefreshSchedule, timeout: Duration, verify: String) {
        self.command = command
        self.schedule = schedule
        self.timeout = timeout
        self.verify = verify
    }

    /// The scratch database the command loads into, beside `live`.
    public static func scratchDatabase(of live: String) -> String { "\(live)_lifeboat_new" }
    /// Where the live tables go during the swap, dropped after it.
    public static func previousDatabase(of live: String) -> String { "\(live)_lifeboat_old" }
}

/// Decodes `[service.refresh]` and checks it against the rest of the service.
struct RefreshDecoder {
    let paths: PathResolver

    private static let schedule = Conversion<[String]> { value in
        switch value {
        case .string(let text): return .success([text])
        case .array(let items):
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item else { return Conversion<[String]>.failure("a time of day such as \"03:00\"", got: item) }
                texts.append(text)
            }
            return .success(texts)
        default:
            return Conversion<[String]>.failure("\"03:00\", [\"03:00\", \"15:00\"] or \"every 6h\"", got: value)
        }
    }.map { texts in
        RefreshSchedule.parse(texts).mapError { ConversionFailure(message: $0.message) }
    }

    /// The service's `time_zone` (IANA name such as `"Europe/Zurich"`). Default: the system's.
    static let timeZone = Conversion<String>.nonEmptyString.map { name in
        TimeZone(identifier: name) != nil
            ? .success(name) : Conversion<String>.failure("expected a time zone name such as \"Europe/Zurich\" or \"UTC\", got \"\(name)\"")
    }

    func decode(_ table: TableReader, lagQuery: String?) -> RefreshSettings? {
        defer { table.finish() }
        let command = table.required("command", paths.command, what: "the command that loads a copy into $LIFEBOAT_REFRESH_DATABASE, e.g. [\"/etc/lifeboat/refresh-standby\"]")
        let schedule = table.required("schedule", Self.schedule, what: "when to refresh: \"03:00\", [\"03:00\", \"15:00\"] or \"every 6h\"")
        let timeout = table.value("timeout", default: .seconds(3600), .duration(atLeast: .seconds(1)))
        let verify = table.optional("verify", .nonEmptyString) ?? lagQuery
        if verify == nil, !table.log.problems.contains(where: { $0.keyPath == table.keyPath("verify") }) {
            table.log.add(table.keyPath("verify"),
                "missing, and the standby has no MySQL check with lag_query; expected a query returning the data's age in seconds, e.g. \"SELECT UNIX_TIMESTAMP() - MAX(changed) FROM node\"")
        }
        guard let command, let schedule, let verify else { return nil }
        return RefreshSettings(command: command, schedule: schedule, timeout: timeout, verify: verify)
    }
}
