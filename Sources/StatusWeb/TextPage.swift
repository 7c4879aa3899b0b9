import Foundation
import Hummingbird
import LifeboatCore
import NIOCore

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
