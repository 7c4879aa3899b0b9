import Foundation

/// What `dig` or `kdig` printed, parsed: status, flags and each section's records.
struct DigResult {
    var status = ""
    var flags: Set<String> = []
    var answer: [String] = []
    var authority: [String] = []
    var additional: [String] = []
    var ednsPayload: Int?
    var ednsFlags: Set<String> = []
    var raw = ""

    /// A record line with fields single-spaced and names lower-cased.
    static func normalise(_ line: Substring) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
    }
}

/// Runs a query tool against 127.0.0.1:`port` and parses what it prints.
enum DigTool: String, CaseIterable, Sendable {
    case dig = "/usr/bin/dig"
    case kdig = "/usr/bin/kdig"

    func query(_ arguments: [String], port: Int) -> DigResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: rawValue)
        let patience = self == .dig ? ["+time=2", "+tries=1"] : ["+timeout=2", "+retry=0"]
        process.arguments = ["@127.0.0.1", "-p", String(port)] + patience + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try? process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return parse(output)
    }

    private func parse(_ output: String) -> DigResult {
        var result = DigResult(raw: output)
        var section: WritableKeyPath<DigResult, [String]>?
        for line in output.split(separator: "\n") {
            let lower = line.lowercased()
            if lower.contains("status:") {
                result.status = String(lower.split(separator: "status:")[1].prefix { $0 != "," && $0 != ";" }).trimmingCharacters(in: .whitespaces).uppercased()
            }
            if lower.hasPrefix(";; flags:") {
                let flags = lower.dropFirst(9).prefix { $0 != ";" }
                result.flags = Set(flags.split(separator: " ").map(String.init))
            }
            if lower.contains("edns: version") || lower.hasPrefix(";; version:") {  // dig, kdig
                let sizeMarker = lower.contains("udp size:") ? "udp size:" : "udp:"
                if let udp = lower.split(separator: sizeMarker).last?.split(whereSeparator: { !$0.isNumber }).first { result.ednsPayload = Int(udp) }
                if let flagsPart = lower.split(separator: "flags:").dropFirst().first {
                    result.ednsFlags = Set(flagsPart.prefix { $0 != ";" }.split(separator: " ").map(String.init))
                }
            }
            if lower.contains("answer section") { section = \.answer; continue }
            if lower.contains("authority section") { section = \.authority; continue }
            if lower.contains("additional section") { section = \.additional; continue }
            if line.hasPrefix(";;") || line.hasPrefix(";") || line.trimmingCharacters(in: .whitespaces).isEmpty {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { section = nil }
                continue
            }
            if let section { result[keyPath: section].append(DigResult.normalise(line)) }
        }
        return result
    }
}
