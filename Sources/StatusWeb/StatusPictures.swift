import Foundation
import LifeboatCore

/// The status page's pictures: inline SVG, no JavaScript, scaled to the page's width (a phone's
/// too). Colours are the Okabe–Ito set, which colour-blind readers tell apart, and every colour
/// also has a shape or a label: failed runs are crosses, failed steps say "✗", ERROR is hatched.
enum StatusPictures {
    /// A phase's colour and its short label.
    static func style(_ phase: FailoverPhase) -> (colour: String, label: String) {
        switch phase {
        case .primaryActive: ("#009E73", "primary")
        case .failingOver: ("#0072B2", "failing over")
        case .standbyActive: ("#E69F00", "standby")
        case .failbackReady: ("#F0E442", "failback ready")
        case .failingBack: ("#56B4E9", "failing back")
        case .error: ("#D55E00", "ERROR")
        }
    }

    /// A check's last runs: latency as a line (log scale, 1 ms–10 s), each failed run a cross on the baseline.
    static func sparkline(_ check: CheckStatus) -> String {
        let durations = check.recentMs ?? []
        guard !durations.isEmpty else { return "" }
        let (width, height) = (120.0, 24.0)
        let step = durations.count > 1 ? width / Double(durations.count - 1) : 0
        let y = { (ms: Double) -> Double in
            let scaled = (log10(max(ms, 1)) - 0) / 4  // 1 ms → 0, 10 s → 1
            return (height - 3) - min(max(scaled, 0), 1) * (height - 6)
        }
        var points: [String] = []
        var crosses = ""
        for (index, ms) in durations.enumerated() {
            let x = Double(index) * step
            points.append("\(n(x)),\(n(y(ms)))")
            if index < check.recent.count, !check.recent[index] {
                crosses += "<path d=\"M\(n(max(x - 2.5, 0))) \(n(height - 6))l5 5m0 -5l-5 5\" class=\"fail\"/>"
            }
        }
        let failed = check.recent.filter { !$0 }.count
        let latest = durations.last.map { String(format: "%.1f ms", $0) } ?? ""
        return """
            <svg class="spark" viewBox="-3 0 126 24" width="120" height="24" role="img" aria-label="last \(durations.count) runs: \(failed) failed; latest \(latest)">\
            <title>last \(durations.count) runs: \(failed) failed; latest \(latest)</title>\
            <polyline points="\(points.joined(separator: " "))" fill="none" stroke="#0072B2" stroke-width="1.5"/>\(crosses)</svg>
            """
    }

    /// A sequence's steps on one time line: each a bar as long as it took (at least a sliver),
    /// labelled with its name, its state's symbol and its duration.
    static func timeline(_ sequence: SequenceStatus, title: String) -> String {
        let durations = sequence.steps.map { Double($0.durationMs ?? 0) }
        let total = max(durations.reduce(0, +), 1)
        let rowHeight = 20.0
        let height = Double(sequence.steps.count) * rowHeight + 4
        var offset = 0.0
        var rows = ""
        for (index, step) in sequence.steps.enumerated() {
            let width = max(durations[index] / total * 170, 3)
            let (symbol, colour) = switch step.state {
            case .done: ("✓", "#009E73")
            case .failed: ("✗", "#D55E00")
            case .running: ("▶", "#0072B2")
            case .waiting: ("…", "#56B4E9")
            case .retrying: ("↻", "#E69F00")
            case .pending: ("·", "#999999")
            }
            let y = Double(index) * rowHeight + 2
            let duration = step.durationMs.map { $0 >= 1000 ? String(format: "%.1f s", Double($0) / 1000) : "\($0) ms" } ?? step.state.rawValue
            rows += "<rect x=\"\(n(180 + offset))\" y=\"\(n(y + 2))\" width=\"\(n(width))\" height=\"13\" fill=\"\(colour)\"/>"
            rows += "<text x=\"0\" y=\"\(n(y + 13))\">\(symbol) \(StatusPage.escape(step.name))</text>"
            rows += "<text x=\"\(n(min(180 + offset + width + 4, 360)))\" y=\"\(n(y + 13))\" class=\"dur\">\(duration)</text>"
            offset += width
        }
        return """
            <figure class="timeline"><figcaption>\(StatusPage.escape(title))</figcaption>\
            <svg viewBox="0 0 420 \(Int(height))" width="100%" style="max-width:42em" role="img" aria-label="\(StatusPage.escape(title))">\(rows)</svg></figure>
            """
    }

    /// The last 24 hours as one strip of phases, hour marks below (ERROR hatched, labels where they fit).
    static func phaseStrip(_ spans: [PhaseSpan], now: Date) -> String {
        guard !spans.isEmpty else { return "" }
        let window = 86400.0
        let width = 480.0
        let x = { (date: Date) -> Double in max(0, min(width, (1 - now.timeIntervalSince(date) / window) * width)) }
        // Grey where the journal knows nothing (before its first record in the window).
        var bars = "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"18\" fill=\"#e6e6e6\"><title>no record</title></rect>"
        for span in spans {
            let (colour, label) = style(span.phase)
            let (from, to) = (x(span.from), x(span.to))
            let fill = span.phase == .error ? "url(#hatch)" : colour
            let shown = max(to - from, 3)  // a phase of a few seconds still shows
            bars += "<rect x=\"\(n(min(from, width - shown)))\" y=\"0\" width=\"\(n(shown))\" height=\"18\" fill=\"\(fill)\">"
                + "<title>\(label) from \(HumanTime.clock(span.from)) to \(HumanTime.clock(span.to))</title></rect>"
            if to - from > Double(label.count) * 6 + 6 {
                bars += "<text x=\"\(n(from + 3))\" y=\"13\" class=\"in\">\(label)</text>"
            }
        }
        var ticks = ""
        for hours in stride(from: 24, through: 0, by: -6) {
            let position = width - Double(hours) / 24 * width
            ticks += "<line x1=\"\(n(position))\" x2=\"\(n(position))\" y1=\"18\" y2=\"22\" stroke=\"#666\"/>"
            ticks += "<text x=\"\(n(min(max(position - 8, 0), width - 24)))\" y=\"32\" class=\"tick\">\(hours == 0 ? "now" : "-\(hours)h")</text>"
        }
        let legend = Set(spans.map(\.phase)).sorted { $0.rawValue < $1.rawValue }.map { style($0).label }.joined(separator: ", ")
        return """
            <figure class="strip"><figcaption>last 24 hours: \(StatusPage.escape(legend))</figcaption>\
            <svg viewBox="0 0 480 34" width="100%" role="img" aria-label="phases of the last 24 hours: \(StatusPage.escape(legend))">\
            <defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
            <rect width="6" height="6" fill="#D55E00"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>\
            \(bars)\(ticks)</svg></figure>
            """
    }

    /// After the last switch: the share of resolvers and secondaries answering the new addresses
    /// (serial) against seconds since the switch, a stepped curve with a labelled mark (●) per
    /// target that switched, and a cross (✗) at the right edge for each one still old.
    static func propagationCurve(_ propagation: PropagationStatus) -> String {
        let targets = propagation.targets
        guard !targets.isEmpty else { return "" }
        let (left, width, top, height) = (34.0, 330.0, 6.0, 90.0)
        let span = max(targets.map { $0.seconds ?? $0.waited }.max() ?? 1, 1)
        let x = { (seconds: Double) -> Double in left + seconds / span * width }
        let y = { (share: Double) -> Double in top + (1 - share) * height }
        let switched = targets.compactMap { target in target.seconds.map { ($0, target) } }.sorted { $0.0 < $1.0 }
        var path = "M\(n(x(0))),\(n(y(0)))"
        var marks = ""
        for (index, (seconds, target)) in switched.enumerated() {
            let share = Double(index + 1) / Double(targets.count)
            path += " H\(n(x(seconds))) V\(n(y(share)))"
            marks += "<circle cx=\"\(n(x(seconds)))\" cy=\"\(n(y(share)))\" r=\"3.5\" fill=\"#009E73\"><title>\(StatusPage.escape(target.target.name)): \(seconds) s</title></circle>"
            // Labels right of their mark, or left of it in the right half (so none is cut off).
            let rightHalf = x(seconds) > left + width / 2
            marks += "<text x=\"\(n(x(seconds) + (rightHalf ? -5 : 5)))\" y=\"\(n(y(share) + 12))\" class=\"dur\"\(rightHalf ? " text-anchor=\"end\"" : "")>"
                + "● \(StatusPage.escape(target.target.name)) \(seconds) s</text>"
        }
        path += " H\(n(x(span)))"
        for (index, target) in targets.filter({ $0.seconds == nil }).enumerated() {
            let label = "✗ \(target.target.name) \(target.state) \(Int(target.waited)) s"
            marks += "<text x=\"\(n(left + width - 150))\" y=\"\(n(top + 12 + Double(index) * 12))\" class=\"dur\" fill=\"#D55E00\">\(StatusPage.escape(label))</text>"
        }
        let axes = "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(top + height))\" stroke=\"#666\"/>"
            + "<line x1=\"\(n(left))\" y1=\"\(n(top + height))\" x2=\"\(n(left + width))\" y2=\"\(n(top + height))\" stroke=\"#666\"/>"
            + "<text x=\"0\" y=\"\(n(top + 8))\" class=\"tick\">100%</text><text x=\"8\" y=\"\(n(top + height))\" class=\"tick\">0%</text>"
            + "<text x=\"\(n(left))\" y=\"\(n(top + height + 12))\" class=\"tick\">switch</text>"
            + "<text x=\"\(n(left + width - 30))\" y=\"\(n(top + height + 12))\" class=\"tick\">\(Int(span.rounded())) s</text>"
        let done = switched.count
        let title = "DNS → \(propagation.site.rawValue) (serial \(propagation.serial)): \(done) of \(targets.count) resolvers and secondaries answer it"
        return """
            <figure class="curve"><figcaption>\(StatusPage.escape(title))</figcaption>\
            <svg viewBox="0 0 380 \(Int(top + height + 16))" width="100%" style="max-width:40em" role="img" aria-label="\(StatusPage.escape(title))">\
            \(axes)<path d="\(path)" fill="none" stroke="#0072B2" stroke-width="2"/>\(marks)</svg></figure>
            """
    }

    /// A coordinate with one decimal.
    private static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The pictures' CSS.
    static let css = """
        svg text{font:13px system-ui,sans-serif;fill:#222}svg text.in{fill:#000;font-weight:bold}svg text.dur,svg text.tick{fill:#555}
        svg .fail{stroke:#D55E00;stroke-width:2}figure{margin:.4em 0}figcaption{font-size:.85em;color:#555}
        .spark{vertical-align:middle}table.propagation td:last-child{overflow-wrap:anywhere}
        """
}
