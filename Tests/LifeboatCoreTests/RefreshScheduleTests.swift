import Foundation
import LifeboatCore
import Testing

@Suite("Refresh schedule: daily times in a time zone, or an interval")
struct RefreshScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let zurich = TimeZone(identifier: "Europe/Zurich")!

    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    static func parse(_ entries: String...) -> Result<RefreshSchedule, RefreshSchedule.ParseError> {
        RefreshSchedule.parse(entries)
    }

    @Test("daily: the next of the times after the anchor, in the schedule's time zone")
    func daily() throws {
        let schedule = try Self.parse("15:00", "03:00").get()
        #expect(schedule.description == "daily at 03:00, 15:00")
        #expect(schedule.due(after: Self.date("2027-01-15T08:00:00Z"), timeZone: Self.utc) == Self.date("2027-01-15T15:00:00Z"))
        #expect(schedule.due(after: Self.date("2027-01-15T15:00:00Z"), timeZone: Self.utc) == Self.date("2027-01-16T03:00:00Z"),
                "strictly after: the time itself is not due again")
        // 03:00 in Zurich in winter is 02:00 UTC.
        #expect(schedule.due(after: Self.date("2027-01-15T16:00:00Z"), timeZone: Self.zurich) == Self.date("2027-01-16T02:00:00Z"))
    }

    @Test("daily across clock changes: a skipped time runs at the next time that exists, a repeated one once")
    func clockChanges() throws {
        // 2027-03-28: Zurich skips 02:00–03:00 (CET → CEST).
        let skipped = try Self.parse("02:30").get()
        #expect(skipped.due(after: Self.date("2027-03-27T12:00:00Z"), timeZone: Self.zurich) == Self.date("2027-03-28T01:00:00Z"),
                "02:30 does not exist that night: 03:00 CEST, 01:00 UTC")
        // 2027-10-31: 02:00–03:00 happens twice (CEST → CET).
        let repeated = try Self.parse("02:30").get()
        let first = repeated.due(after: Self.date("2027-10-30T12:00:00Z"), timeZone: Self.zurich)
        #expect(first == Self.date("2027-10-31T00:30:00Z"))
        #expect(repeated.due(after: first, timeZone: Self.zurich) == Self.date("2027-11-01T01:30:00Z"), "not again an hour later")
    }

    @Test("the longest gap between refreshes: a day for one daily time, the widest wrap-around for several, the interval")
    func longestGap() throws {
        #expect(try Self.parse("03:00").get().longestGap == .seconds(86400))
        #expect(try Self.parse("03:00", "05:00").get().longestGap == .seconds(22 * 3600))
        #expect(try Self.parse("every 6h").get().longestGap == .seconds(6 * 3600))
    }

    @Test("every: the interval after the anchor")
    func every() throws {
        let schedule = try Self.parse("every 6h").get()
        #expect(schedule == .every(.seconds(6 * 3600)))
        #expect(schedule.description == "every 6h")
        #expect(schedule.due(after: Self.date("2027-01-15T08:00:00Z"), timeZone: Self.utc) == Self.date("2027-01-15T14:00:00Z"))
    }

    @Test("bad entries are refused, saying what was expected", arguments: [
        ["25:00"], ["3:00"], ["03:60"], ["noon"], [], ["every"], ["every 0s"], ["every 6h", "03:00"], ["03:00:99"],
    ])
    func refused(entries: [String]) {
        let result = RefreshSchedule.parse(entries)
        guard case .failure(let error) = result else {
            Issue.record("\(entries) was accepted")
            return
        }
        #expect(error.message.contains("expected"), "\(error.message)")
    }
}
