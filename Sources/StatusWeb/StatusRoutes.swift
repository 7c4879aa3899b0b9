import Foundation
public import Hummingbird
import LifeboatCore

/// The daemon's HTTP surface: `/` (the status page), `/metrics`, `/api/v1` (status, service,
/// history; control calls behind the bearer token).
public enum StatusRoutes {
    /// A router over `source`; control calls need `token`.
    public static func router(source: some StatusSource, token: TokenStore, metrics: PrometheusMetrics) -> Router<StatusRequestContext> {
        let router = Router(context: StatusRequestContext.self)
        router.get("/") { _, _ in
            TextPage(
                text: StatusPage.render(await source.status(), history: await source.history(service: nil, limit: 40) ?? [], now: Date()),
                contentType: "text/html; charset=utf-8")
        }
        router.get("/metrics") { _, _ in
            TextPage(
                text: metrics.render(status: await source.status(), dns: await source.dnsCounts(), events: await source.dnsEvents()),
                contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.addRoutes(readRoutes(source), atPath: "/api/v1")
        router.addRoutes(controlRoutes(source, token: token), atPath: "/api/v1")
        // A known path with the wrong method: 405 with Allow, not 404.
        for path in ["/", "/metrics", "/api/v1/status", "/api/v1/services/:name", "/api/v1/history"] {
            for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
                router.on(RouterPath(path), method: method) { _, _ -> Response in throw methodNotAllowed(allow: "GET, HEAD") }
            }
        }
        for method in [HTTPRequest.Method.get, .put, .patch, .delete] {
            router.on("/api/v1/services/:name/:command", method: method) { _, _ -> Response in throw methodNotAllowed(allow: "POST") }
        }
        return router
    }

    /// `GET /api/v1/status`, `/services/:name` and `/history`.
    static func readRoutes(_ source: some StatusSource) -> RouteCollection<StatusRequestContext> {
        let routes = RouteCollection(context: StatusRequestContext.self)
        routes.get("status") { _, _ in APIReply(await source.status()) }
        routes.get("services/:name") { _, context in
            let name = context.parameters.get("name") ?? ""
            guard let service = await source.service(named: name) else { throw APIFailure(.notFound, "no service named \"\(name)\"") }
            return APIReply(service)
        }
        routes.get("services/:name/drills/last") { _, context in
            let name = context.parameters.get("name") ?? ""
            guard let report = await source.drillReport(service: name) else { throw APIFailure(.notFound, "no service named \"\(name)\"") }
            guard let report else { throw APIFailure(.notFound, "no drill yet for \(name): `lifeboat drill --service \(name)`") }
            return APIReply(report)
        }
        routes.get("history") { request, _ in
            let service = request.uri.queryParameters.get("service")
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 200
            let valid = (1...2000).contains(limit)
            // An unknown service is named before a bad limit.
            guard let entries = await source.history(service: service, limit: valid ? limit : 1) else {
                throw APIFailure(.notFound, "no service named \"\(service ?? "")\"")
            }
            guard valid else { throw APIFailure(.badRequest, "limit must be 1–2000") }
            return APIReply(entries)
        }
        return routes
    }

    /// `POST /api/v1/services/:name/:command`, behind the bearer token.
    static func controlRoutes(_ source: some StatusSource, token: TokenStore) -> RouteCollection<StatusRequestContext> {
        let routes = RouteCollection(context: StatusRequestContext.self)
        routes.add(middleware: BearerTokenMiddleware(token: token))
        routes.post("services/:name/:command") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard await source.hasService(named: name) else { throw APIFailure(.notFound, "no service named \"\(name)\"") }
            let commandName = context.parameters.get("command") ?? ""
            guard let kind = OperatorCommandKind(rawValue: commandName) else {
                let known = OperatorCommandKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIFailure(.notFound, "unknown command \"\(commandName)\"; one of \(known)")
            }
            let body = try await request.body.collect(upTo: 16384)
            var parameters = CommandRequest()
            if body.readableBytes > 0 {
                do {
                    parameters = try JSONDecoder().decode(CommandRequest.self, from: Data(buffer: body))
                } catch {
                    throw APIFailure(.badRequest, "the body must be JSON like {\"force\": false, \"reason\": \"...\"}: \(error)")
                }
            }
            if kind == .drill, parameters.dryRun == true {
                guard let plan = await source.drillPlan(service: name) else { throw APIFailure(.notFound, "no service named \"\(name)\"") }
                return try APIReply(plan).response(from: request, context: context)
            }
            let command = OperatorCommand(
                kind, force: parameters.force ?? false, reason: OperatorCommand.sanitized(parameters.reason ?? ""),
                by: OperatorCommand.sanitized(parameters.by ?? "api", limit: 128), keep: parameters.keep ?? false, now: parameters.now ?? false)
            guard let (reply, phase) = await source.command(command, service: name) else {
                throw APIFailure(.notFound, "no service named \"\(name)\"")
            }
            return try APIReply(
                CommandResponse(service: name, command: kind.rawValue, accepted: reply.accepted, message: reply.message, phase: phase),
                status: reply.accepted ? .ok : .conflict).response(from: request, context: context)
        }
        return routes
    }

    static func methodNotAllowed(allow: String) -> APIFailure {
        APIFailure(.methodNotAllowed, "method not allowed here; allowed: \(allow)", allow: allow)
    }
}
