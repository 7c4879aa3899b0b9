import Foundation
import Hummingbird
import LifeboatCore
import NIOCore

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
