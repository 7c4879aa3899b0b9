import LifeboatConfig

/// The outcome of `lifeboat config check`, as text and JSON.
struct ConfigCheckReport {
    let problems: [ConfigProblem]

    var ok: Bool { problems.isEmpty }

    static func run(path: String) -> ConfigCheckReport {
        do {
            _ = try ConfigLoader.load(path: path)
            return ConfigCheckReport(problems: [])
        } catch {
            return ConfigCheckReport(problems: error.problems)
        }
    }

    var text: String {
        ok ? "ok" : problems.map(\.description).joined(separator: "\n")
            + "\n\(problems.count) problem\(problems.count == 1 ? "" : "s")"
    }

    var json: String {
        let items = problems.map {
            "{\"file\":\(JSONText.quote($0.file)),\"key\":\(JSONText.quote($0.keyPath)),\"message\":\(JSONText.quote($0.message))}"
        }
        return "{\"ok\":\(ok),\"problems\":[\(items.joined(separator: ","))]}"
    }
}

/// Minimal JSON string quoting for the CLI's small documents.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
