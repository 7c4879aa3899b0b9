import Foundation
public import Hummingbird
import LifeboatCore
import NIOCore

/// The request context of the status server: `/api/v1` answers are encoded by `APIEncoder`.
public struct StatusRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var responseEncoder: APIEncoder { APIEncoder() }
}

/// Encodes `/api/v1` answers in `APIJSON`'s conventions, uncached, with a final newline.
public struct APIEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try APIJSON.encoder().encode(value) + Data("\n".utf8))))
    }
}

/// An `/api/v1` answer: a value encoded by the context's encoder, with a status.
struct APIReply<Value: Encodable & Sendable>: ResponseGenerator {
    let value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.status = status
        return response
    }
}

/// A refused call: `{"error": "..."}` with its status (and `Allow` for a wrong method).
struct APIFailure: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var allow: String?

    init(_ status: HTTPResponse.Status, _ message: String, allow: String? = nil) {
        self.status = status
        self.message = message
        self.allow = allow
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIReply(APIError(error: message), status: status).response(from: request, context: context)
        if let allow { response.headers[.allow] = allow }
        return response
    }
}

/// A text page (`/`, `/metrics`), uncached.
struct TextPage: ResponseGenerator {
    let text: String
    let contentType: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
