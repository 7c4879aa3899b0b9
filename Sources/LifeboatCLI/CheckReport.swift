import Foundation
import LifeboatConfig
import LifeboatCore
import Probes

#if canImport(Glibc)
import Glibc
#endif

/// `lifeboat check`'s output as a table or JSON.
enum CheckReport {
    static func table(_ rows: [CheckRow]) -> String {
        let header = ["SERVICE", "SITE", "CHECK", "STATE", "REASON", "TIME", "DETAIL"]
        let lines = rows.map { row -> [String] in
            let result = row.result
            var detail = result.message
            if let days = result.certificateDaysLeft { detail += ", certificate expires in \(days) days" }
            if let readOnly = result.readOnly { detail += readOnly ? ", read_only=1" : "" }
            return [row.service, row.site, result.check, result.success ? "up" : "down", result.reason?.rawValue ?? "-",
                    "\(milliseconds(result.duration)) ms", detail]
        }
        let widths = header.indices.map { column in ([header] + lines).map { $0[column].count }.max() ?? 0 }
        return ([header] + lines).map { cells in
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index])
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The preflight of each service: ok or its problems, its notes, and per site the tables.
    static func table(_ preflights: [PreflightRow]) -> String {
        var lines: [String] = []
        for row in preflights {
            let report = row.report
            lines.append("PREFLIGHT \(row.service): " + (report.ok ? "ok" : "\(report.problems.count) problem(s)"))
            for problem in report.problems { lines.append("  problem  \(problem.message)  [\(problem.key)]") }
            for note in report.notes { lines.append("  note     \(note)") }
            for site in report.sites {
                lines.append("  \(site.step)")
                for table in site.tables { lines.append("    \(table.operation.padding(toLength: 17))\(table.table)") }
                for table in site.shared { lines.append("    \(table.operation.padding(toLength: 17))\(table.table) (shared: done by \(table.doneBy ?? "?"))") }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One service's preflight as JSON: the report's fields with the service and `ok`.
    struct PreflightJSON: Encodable {
        let service: String
        let ok: Bool
        let checkedAt: Date
        let problems: [PreflightProblem]
        let notes: [String]
        let sites: [PreflightSite]

        init(_ row: PreflightRow) {
            service = row.service
            ok = row.report.ok
            checkedAt = row.report.checkedAt
            problems = row.report.problems
            notes = row.report.notes
            sites = row.report.sites
        }
    }

    /// `{"checks": [...], "preflight": [...]}`.
    static func json(_ rows: [CheckRow], preflights: [PreflightRow]) -> String {
        let document = CheckDocument(checks: rows.map(CheckJSON.init), preflight: preflights.map(CheckReport.PreflightJSON.init))
        return (try? APIJSON.encoder().encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.wholeMilliseconds)
    }
}

/// What `lifeboat check --json` prints.
struct CheckDocument: Encodable {
    let checks: [CheckJSON]
    let preflight: [CheckReport.PreflightJSON]
}

/// One check run in `lifeboat check --json`; `reason` is `null` on success.
struct CheckJSON: Encodable {
    let service: String
    let site: String
    let check: String
    let success: Bool
    let reason: FailureReason?
    let message: String
    let durationMs: Int
    let httpStatus: Int?
    let lagSeconds: Int?
    let readOnly: Bool?
    let certificateDaysLeft: Int?

    init(_ row: CheckRow) {
        let result = row.result
        service = row.service
        site = row.site
        check = result.check
        success = result.success
        reason = result.reason
        message = result.message
        durationMs = CheckReport.milliseconds(result.duration)
        httpStatus = result.httpStatus
        lagSeconds = result.lagSeconds
        readOnly = result.readOnly
        certificateDaysLeft = result.certificateDaysLeft
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encode(site, forKey: .site)
        try container.encode(check, forKey: .check)
        try container.encode(success, forKey: .success)
        try container.encode(reason, forKey: .reason)  // null, not absent, on success
        try container.encode(message, forKey: .message)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encodeIfPresent(httpStatus, forKey: .httpStatus)
        try container.encodeIfPresent(lagSeconds, forKey: .lagSeconds)
        try container.encodeIfPresent(readOnly, forKey: .readOnly)
        try container.encodeIfPresent(certificateDaysLeft, forKey: .certificateDaysLeft)
    }

    private enum CodingKeys: String, CodingKey {
        case service, site, check, success, reason, message, durationMs, httpStatus, lagSeconds, readOnly, certificateDaysLeft
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}

/// stderr without Foundation.
enum FileHandleLite {
    static func writeStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
