import Controller
import DNSQuery
import Foundation
import Hummingbird
import LifeboatCore
import Logging
import NIOCore
import NIOEmbedded
@testable import StatusWeb
import Synchronization
import Testing

/// A status source with one service, `www`, that records the commands it is given.
final class FakeStatusSource: StatusSource {
    let commands = Mutex<[OperatorCommand]>([])
    let report = StatusReport(generatedAt: Date(timeIntervalSince1970: 1_800_000_000), version: "test", isolated: false, services: [], witnesses: [])

    func status() async -> StatusReport { report }
    func hasService(named name: String) async -> Bool { name == "www" }
    func service(named name: String) async -> ServiceStatus? { name == "www" ? Self.service : nil }
    func history(service: String?, limit: Int) async -> [HistoryEntry]? {
        guard service == nil || service == "www" else { return nil }
        let entries = (0..<5).map { HistoryEntry(service: "www", at: Date(timeIntervalSince1970: Double($0)), kind: .phase, summary: "entry \($0)") }
        return Array(entries.prefix(limit))
    }
    func command(_ command: OperatorCommand, service: String) async -> (reply: CommandReply, phase: FailoverPhase)? {
        guard service == "www" else { return nil }
        commands.withLock { $0.append(command) }
        return (CommandReply(accepted: command.kind == .pause, message: command.kind == .pause ? "paused" : "refused"), .primaryActive)
    }
    func dnsCounts() async -> [String: QueryCounts] { [:] }
    func drillPlan(service: String) async -> DrillPlan? {
        guard service == "www" else { return nil }
        return DrillPlan(
            service: "www", checkedAt: Date(timeIntervalSince1970: 0), wouldStart: false, refusal: "standby not ready",
            preflight: PreflightReport(checkedAt: Date(timeIntervalSince1970: 0), problems: [], notes: [], sites: []), checks: [],
            steps: [DrillPlan.Step(direction: .failover, step: "dns:standby", does: "www → standby")], watched: [])
    }
    func drillReport(service: String) async -> DrillReport?? { service == "www" ? .some(nil) : nil }

    static let service = ServiceStatus(
        name: "www", phase: .primaryActive, since: Date(timeIntervalSince1970: 0), reason: "start", paused: false,
        activeSite: .primary, zone: "example.com.", serial: 7, owners: ["www.example.com."], addresses: ["192.0.2.1"], ttl: 30,
        waiting: nil, countdowns: [], sequence: nil,
        primary: SiteStatus(state: .up, detail: "", addresses: ["192.0.2.1"], checks: [
            CheckStatus(name: "web", type: "http", state: .up, consecutiveFailures: 1, consecutiveSuccesses: 0, last: nil,
                        recent: [true, false], fastPhase: true),
        ]),
        standby: SiteStatus(state: .up, detail: "", addresses: ["192.0.2.2"], checks: []),
        lastAutomaticFailover: nil, failback: "manual", preflight: nil)
}

/// The routes answered in process: a request through the router's responder, with a context on an
/// `EmbeddedChannel`, no socket.
struct RouteClient {
    let responder: RouterResponder<StatusRequestContext>

    init(source: FakeStatusSource, token: String = "s3cret") {
        responder = StatusRoutes.router(source: source, token: TokenStore(token), metrics: PrometheusMetrics()).buildResponder()
    }

    func call(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: String = "") async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "lifeboat.test", path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(string: body)))
        let context = StatusRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        var response = try await responder.respond(to: request, context: context)
        let collector = BodyCollector()
        try await response.body.write(collector)
        response.body = ResponseBody()
        return (response.status, response.headers, collector.text)
    }
}

/// Collects a response body.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    private(set) var buffer = ByteBuffer()
    var text: String { String(buffer: buffer) }
    func write(_ part: ByteBuffer) async throws { var part = part; buffer.writeBuffer(&part) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

@Suite("Status routes against a fake status source")
struct StatusRoutesTests {
    @Test("GET status and a service: the API's JSON conventions, uncached; an unknown service is 404 with {\"error\"}")
    func reads() async throws {
        let client = RouteClient(source: FakeStatusSource())
        let status = try await client.call(.get, "/api/v1/status")
        #expect(status.status == .ok)
        #expect(status.headers[.contentType] == "application/json; charset=utf-8" && status.headers[.cacheControl] == "no-store")
        #expect(status.body.contains("\"generated_at\":\"2027-01-15T08:00:00Z\"") && status.body.hasSuffix("}\n"), "\(status.body)")
        let service = try await client.call(.get, "/api/v1/services/www")
        #expect(service.status == .ok && service.body.contains("\"active_site\":\"primary\""))
        let missing = try await client.call(.get, "/api/v1/services/nope")
        #expect(missing.status == .notFound && missing.body == "{\"error\":\"no service named \\\"nope\\\"\"}\n", "\(missing.body)")
    }

    @Test("a check in its fast phase: marked on the page, fast_phase in the JSON")
    func fastPhase() async throws {
        let client = RouteClient(source: FakeStatusSource())
        let service = try await client.call(.get, "/api/v1/services/www")
        #expect(service.body.contains("\"fast_phase\":true"), "\(service.body)")
        let report = StatusReport(generatedAt: Date(), version: "test", isolated: false, services: [FakeStatusSource.service], witnesses: [])
        let page = StatusPage.render(report, history: [], now: Date())
        #expect(page.contains("<small class=\"fast\">fast checks</small>"))
        let metrics = PrometheusMetrics()
        metrics.checkPace(check: "www/primary/web", fast: true)
        #expect(metrics.render(status: report, dns: [:]).contains("lifeboat_check_fast_phase{check=\"www/primary/web\"} 1"))
        metrics.checkPace(check: "www/primary/web", fast: false)
        #expect(metrics.render(status: report, dns: [:]).contains("lifeboat_check_fast_phase{check=\"www/primary/web\"} 0"))
    }

    @Test("history: limit applies, a bad limit is 400, an unknown service is named first (404)")
    func history() async throws {
        let client = RouteClient(source: FakeStatusSource())
        let two = try await client.call(.get, "/api/v1/history?limit=2")
        let entries = try APIJSON.decoder().decode([HistoryEntry].self, from: Data(two.body.utf8))
        #expect(two.status == .ok && entries.count == 2 && entries.first?.kind == .phase)
        #expect(try await client.call(.get, "/api/v1/history?limit=0").status == .badRequest)
        #expect(try await client.call(.get, "/api/v1/history?service=nope&limit=0").status == .notFound)
    }

    @Test("control calls: 401 without a token, 403 with a wrong one, carried out with the right one; 409 when refused")
    func control() async throws {
        let source = FakeStatusSource()
        let client = RouteClient(source: source)
        let none = try await client.call(.post, "/api/v1/services/www/pause")
        #expect(none.status == .unauthorized && none.body.contains("missing Authorization"))
        let wrong = try await client.call(.post, "/api/v1/services/www/pause", headers: [.authorization: "Bearer nope"])
        #expect(wrong.status == .forbidden)
        #expect(source.commands.withLock { $0.isEmpty }, "no command reaches the service without the token")

        let bearer: HTTPFields = [.authorization: "Bearer s3cret"]
        let paused = try await client.call(.post, "/api/v1/services/www/pause", headers: bearer, body: "{\"reason\":\"drill\",\"by\":\"ops\"}")
        #expect(paused.status == .ok && paused.body.contains("\"accepted\":true"), "\(paused.body)")
        #expect(source.commands.withLock { $0.map(\.reason) } == ["drill"])
        let refused = try await client.call(.post, "/api/v1/services/www/promote", headers: bearer)
        #expect(refused.status == .conflict && refused.body.contains("\"command\":\"promote\""))
        #expect(try await client.call(.post, "/api/v1/services/www/explode", headers: bearer).status == .notFound)
        #expect(try await client.call(.post, "/api/v1/services/nope/pause", headers: bearer).status == .notFound)
        #expect(try await client.call(.post, "/api/v1/services/www/pause", headers: bearer, body: "{not json").status == .badRequest)
    }

    @Test("a known path with the wrong method is 405 with Allow")
    func wrongMethod() async throws {
        let client = RouteClient(source: FakeStatusSource())
        let post = try await client.call(.post, "/api/v1/status")
        #expect(post.status == .methodNotAllowed && post.headers[.allow] == "GET, HEAD")
        let get = try await client.call(.get, "/api/v1/services/www/pause")
        #expect(get.status == .methodNotAllowed && get.headers[.allow] == "POST")
    }

    @Test("drill: the dry run behind the token answers the plan and carries out nothing; the last report is 404 before the first drill")
    func drillRoutes() async throws {
        let source = FakeStatusSource()
        let client = RouteClient(source: source)
        let unauthorized = try await client.call(.post, "/api/v1/services/www/drill", body: #"{"dry_run": true}"#)
        #expect(unauthorized.status == .unauthorized)
        let plan = try await client.call(.post, "/api/v1/services/www/drill", headers: [.authorization: "Bearer s3cret"], body: #"{"dry_run": true}"#)
        #expect(plan.status == .ok && plan.body.contains("\"would_start\":false") && plan.body.contains("\"does\":\"www → standby\""), "\(plan.body)")
        #expect(source.commands.withLock { $0.isEmpty }, "a dry run is no command")
        let unknown = try await client.call(.post, "/api/v1/services/nope/drill", headers: [.authorization: "Bearer s3cret"], body: #"{"dry_run": true}"#)
        #expect(unknown.status == .notFound)
        let last = try await client.call(.get, "/api/v1/services/www/drills/last")
        #expect(last.status == .notFound && last.body.contains("no drill yet"), "\(last.body)")
        #expect(try await client.call(.get, "/api/v1/services/nope/drills/last").status == .notFound)
        // Without dry_run it is a command like any other.
        _ = try await client.call(.post, "/api/v1/services/www/drill", headers: [.authorization: "Bearer s3cret"], body: #"{"reason": "q4"}"#)
        #expect(source.commands.withLock { $0.map(\.kind) } == [.drill])
    }
}
