public import Controller
public import DNSServer
import Foundation
public import Hummingbird
import LifeboatCore
import NIOCore

/// The daemon's HTTP surface: `/` (the status page), `/metrics`, `/api/v1` (status, service, history, control).
public enum StatusRoutes {
    /// A router over the hosted controller; control calls need `token`.
    public static func router(
        host: ControllerHost, token bearer: TokenStore, metrics: PrometheusMetrics,
        dnsCounts: @escaping @Sendable () async -> [String: QueryCounts]
    ) -> Router<BasicRequestContext> {
        let router = Router()

        router.get("/") { _, _ in
            let controller = host.controller
            let page = StatusPage.render(await host.status(), history: await controller.history(limit: 40), now: Date())
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        router.get("/metrics") { _, _ in
            let controller = host.controller
            let text = metrics.render(status: await controller.status(), dns: await dnsCounts())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }

        router.get("/api/v1/status") { _, _ in
            json(await host.status())
        }
        router.get("/api/v1/services/:name") { _, context in
            let controller = host.controller
            let name = context.parameters.get("name") ?? ""
            guard let service = controller.service(named: name) else {
                return error(.notFound, "no service named \"\(name)\"")
            }
            return json(await service.status(monitor: controller.monitor))
        }
        router.get("/api/v1/history") { request, _ in
            let controller = host.controller
            let service = request.uri.queryParameters.get("service")
            if let service, controller.service(named: service) == nil {
                return error(.notFound, "no service named \"\(service)\"")
            }
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 200
            guard (1...2000).contains(limit) else { return error(.badRequest, "limit must be 1–2000") }
            return json(await controller.history(service: service, limit: limit))
        }
        router.post("/api/v1/services/:name/:command") { request, context in
            guard let authorization = request.headers[.authorization] else {
                return error(.unauthorized, "missing Authorization: Bearer <token from http.token_file>")
            }
            guard bearer.accepts(authorization: authorization) else { return error(.forbidden, "wrong token") }
            let name = context.parameters.get("name") ?? ""
            guard let service = host.controller.service(named: name) else { return error(.notFound, "no service named \"\(name)\"") }
            let commandName = context.parameters.get("command") ?? ""
            guard let kind = OperatorCommandKind(rawValue: commandName) else {
                let known = OperatorCommandKind.allCases.map(\.rawValue).joined(separator: ", ")
                return error(.notFound, "unknown command \"\(commandName)\"; one of \(known)")
            }
            let body = try await request.body.collect(upTo: 16384)
            var parameters = CommandRequest()
            if body.readableBytes > 0 {
                do {
                    parameters = try JSONDecoder().decode(CommandRequest.self, from: Data(buffer: body))
                } catch {
                    return StatusRoutes.error(.badRequest, "the body must be JSON like {\"force\": false, \"reason\": \"...\"}: \(error)")
                }
            }
            let command = OperatorCommand(
                kind, force: parameters.force ?? false, reason: OperatorCommand.sanitized(parameters.reason ?? ""),
                by: OperatorCommand.sanitized(parameters.by ?? "api", limit: 128), keep: parameters.keep ?? false)
            let (reply, phase) = await service.command(command)
            let response = CommandResponse(service: name, command: kind.rawValue, accepted: reply.accepted, message: reply.message, phase: phase)
            return json(response, status: reply.accepted ? .ok : .conflict)
        }
        // A known path with the wrong method: 405 with Allow, not 404.
        for path in ["/", "/metrics", "/api/v1/status", "/api/v1/services/:name", "/api/v1/history"] {
            for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
                router.on(RouterPath(path), method: method) { _, _ in methodNotAllowed(allow: "GET, HEAD") }
            }
        }
        for method in [HTTPRequest.Method.get, .put, .patch, .delete] {
            router.on("/api/v1/services/:name/:command", method: method) { _, _ in methodNotAllowed(allow: "POST") }
        }
        return router
    }

    static func methodNotAllowed(allow: String) -> Response {
        var response = error(.methodNotAllowed, "method not allowed here; allowed: \(allow)")
        response.headers[.allow] = allow
        return response
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? APIJSON.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data + Data("\n".utf8))))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(APIError(error: message), status: status)
    }
}
