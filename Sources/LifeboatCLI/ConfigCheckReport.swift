import LifeboatConfig
import LifeboatCore

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

    /// `{"ok": bool, "problems": [{"file", "key", "message"}]}`.
    var json: String {
        let document = ConfigCheckDocument(ok: ok, problems: problems.map { .init(file: $0.file, key: $0.keyPath, message: $0.message) })
        return (try? APIJSON.encoder().encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// What `lifeboat config check --json` prints.
struct ConfigCheckDocument: Encodable {
    struct Problem: Encodable {
        let file: String
        let key: String
        let message: String
    }

    let ok: Bool
    let problems: [Problem]
}
