import CCurl

/// One libcurl easy handle performing requests one at a time, blocking (CLI, tests).
public final class CurlEasy {
    private let handle: UnsafeMutableRawPointer

    /// Creates the handle.
    public init() throws(NativeClientError) {
        guard curlGlobalInit == CURLE_OK else {
            throw NativeClientError(kind: .other, library: "curl", code: Int(curlGlobalInit.rawValue), message: "curl_global_init failed")
        }
        guard let handle = curl_easy_init() else {
            throw NativeClientError(kind: .other, library: "curl", code: 0, message: "curl_easy_init returned NULL")
        }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Performs `request` and returns the response, or throws a classified error.
    public func perform(_ request: HTTPRequest) throws(NativeClientError) -> HTTPResponse {
        let transfer = try CurlTransfer(handle: handle, request: request)
        return try transfer.result(curl_easy_perform(handle))
    }
}
