import Foundation
public import Hummingbird
import LifeboatCore
import NIOCore

/// Encodes `/api/v1` answers in `APIJSON`'s conventions, uncached, with a final newline.
public struct APIEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try APIJSON.encoder().encode(value) + Data("\n".utf8))))
    }
}
