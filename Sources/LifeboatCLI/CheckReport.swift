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
    private struct PreflightJSON: Encodable {
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
        let preflight = (try? APIJSON.encoder().encode(preflights.map(PreflightJSON.init))).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return "{\"checks\":" + json(rows) + ",\"preflight\":" + preflight + "}"
    }

    static func json(_ rows: [CheckRow]) -> String {
        let items = rows.map { row -> String in
            let result = row.result
            var fields = [
                "\"service\":\(JSONText.quote(row.service))", "\"site\":\(JSONText.quote(row.site))",
                "\"check\":\(JSONText.quote(result.check))", "\"success\":\(result.success)",
                "\"reason\":\(result.reason.map { JSONText.quote($0.rawValue) } ?? "null")",
                "\"message\":\(JSONText.quote(result.message))", "\"duration_ms\":\(milliseconds(result.duration))",
            ]
            if let status = result.httpStatus { fields.append("\"http_status\":\(status)") }
            if let lag = result.lagSeconds { fields.append("\"lag_seconds\":\(lag)") }
            if let readOnly = result.readOnly { fields.append("\"read_only\":\(readOnly)") }
            if let days = result.certificateDaysLeft { fields.append("\"certificate_days_left\":\(days)") }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.wholeMilliseconds)
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
