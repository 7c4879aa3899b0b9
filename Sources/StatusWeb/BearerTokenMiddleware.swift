import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token from http.token_file>`:
/// 401 without the header, 403 with a wrong token.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: TokenStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authorization = request.headers[.authorization] else {
            throw APIFailure(.unauthorized, "missing Authorization: Bearer <token from http.token_file>")
        }
        guard token.accepts(authorization: authorization) else { throw APIFailure(.forbidden, "wrong token") }
        return try await next(request, context)
    }
}
