import Foundation
import LifeboatConfig
import LifeboatCore
import NativeClients
import SystemIO

/// The Apache part of read-only mode (DESIGN.md, step 1): the snippet written (or removed),
/// `configtest` before every reload — a snippet that fails it is never left in place — a
/// graceful reload, then verified from outside: a POST to the login page gets Lifeboat's 503
/// page, and the front page is still served.
struct ApacheReadOnlyStep: Sendable {
    let service: String
    let flagFile: String
    let adminAllow: [IPNetwork]
    let basePath: String
    let languagePrefixes: [String]
    let configTest: [String]
    let reload: [String]
    /// The standby's first HTTP check: where verification connects.
    let verifyTarget: HTTPCheckSettings?
    let commands: CommandRunner
    let curl: CurlMulti

    func apply(facts: ServingFacts? = nil) async throws -> String {
        let previous = FileManager.default.contents(atPath: flagFile).map { String(decoding: $0, as: UTF8.self) }
        var facts = facts
        // Run again (a retry, a restart), it keeps the data's age it wrote when it knew it.
        if facts != nil, facts?.dataAsOf == nil, let previous { facts?.dataAsOf = ApacheSnippet.dataAsOf(in: previous) }
        let snippet = ApacheSnippet.text(
            service: service, adminAllow: adminAllow, basePath: basePath, languagePrefixes: languagePrefixes, facts: facts)
        if previous != snippet { try write(snippet) }
        try await testConfiguration(restoring: previous)
        try await commands.require(reload, "Apache reload", timeout: .seconds(60))
        try await verify(readOnly: true)
        let asOf = facts?.dataAsOf.map { ", data as of \(ServingFacts.text($0))" } ?? ""
        return "snippet \(flagFile) in place, Apache reloaded, POST refused with the read-only page\(asOf)"
    }

    func revert() async throws -> String {
        let previous = FileManager.default.contents(atPath: flagFile).map { String(decoding: $0, as: UTF8.self) }
        if previous != nil {
            do { try DurableFile.remove(flagFile) } catch { throw StandbyActionError(.file, error.message) }
        }
        try await testConfiguration(restoring: previous)
        try await commands.require(reload, "Apache reload", timeout: .seconds(60))
        try await verify(readOnly: false)
        return "snippet \(flagFile) removed, Apache reloaded, writes accepted again"
    }

    /// Runs configtest; when it fails, puts `previous` back so the running config stays valid.
    private func testConfiguration(restoring previous: String?) async throws {
        let outcome = try await commands.run(configTest, timeout: .seconds(60))
        guard !outcome.succeeded else { return }
        if let previous { try write(previous) } else { try? DurableFile.remove(flagFile) }
        throw StandbyActionError(
            .configTest, "Apache configtest (\(configTest.joined(separator: " "))) failed, snippet change undone: \(CommandRunner.tail(outcome.output))")
    }

    private func write(_ text: String) throws {
        do { try DurableFile.write(text, to: flagFile) } catch { throw StandbyActionError(.file, error.message) }
    }

    /// Polls for up to 10 s: a graceful reload takes effect as old children finish.
    private func verify(readOnly: Bool) async throws {
        guard let target = verifyTarget else { return }
        var last = ""
        for _ in 0..<100 {
            do {
                let post = try await curl.perform(request(target, path: basePath + "user/login", post: "name=lifeboat-verify&pass=x"))
                let refused = post.status == 503 && String(decoding: post.body, as: UTF8.self).contains(ApacheSnippet.marker)
                let page = try await curl.perform(request(target, path: nil, post: nil))
                if refused == readOnly && page.status < 500 { return }
                last = "POST /user/login → \(post.status)\(refused ? " (read-only page)" : ""), GET → \(page.status)"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw StandbyActionError(.verification, "Apache read-only mode \(readOnly ? "not in effect" : "still in effect") after reload: \(last)")
    }

    private func request(_ target: HTTPCheckSettings, path: String?, post: String?) -> HTTPRequest {
        var url = target.url
        if let path, let schemeEnd = url.range(of: "://") {
            let hostEnd = url[schemeEnd.upperBound...].firstIndex(of: "/") ?? url.endIndex
            url = String(url[..<hostEnd]) + path
        }
        return HTTPRequest(
            url: url, connectAddress: target.connectTo.address.description, connectPort: target.connectTo.port, timeout: .seconds(5),
            headers: post == nil ? [] : ["Content-Type: application/x-www-form-urlencoded"], caFile: target.caFile,
            verifyTLS: !target.insecure, userAgent: "Lifeboat (read-only verification)", postBody: post)
    }
}
