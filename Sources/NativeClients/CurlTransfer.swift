import CCurl
import CGlibcShims

#if canImport(Glibc)
import Glibc
#endif

/// `curl_global_init` runs once, before the first handle, as libcurl requires.
let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

/// One request's C-side state on an easy handle: options, body sink, error buffer and header
/// lists, alive until the transfer is done. Used by `CurlEasy` and `CurlMulti` alike.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    private let request: HTTPRequest
    private let sink: BodySink
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var connectToList: UnsafeMutablePointer<curl_slist>?

    /// Configures `handle` (reset first) for `request`.
    init(handle: UnsafeMutableRawPointer, request: HTTPRequest) throws(NativeClientError) {
        self.handle = handle
        self.request = request
        sink = BodySink(limit: request.maxBodyBytes)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        curl_easy_reset(handle)
        for header in request.headers { headerList = curl_slist_append(headerList, header) }
        if let address = request.connectAddress {
            let host = address.contains(":") ? "[\(address)]" : address
            connectToList = curl_slist_append(connectToList, "::\(host):\(request.connectPort.map(String.init) ?? "")")
        }
        let milliseconds = Self.milliseconds(request.timeout)
        let results: [CURLcode] = [
            lb_curl_setopt_string(handle, CURLOPT_URL, request.url),
            lb_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            lb_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            lb_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds),
            lb_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.map(Self.milliseconds) ?? milliseconds),
            lb_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            lb_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, request.verifyTLS ? 1 : 0),
            lb_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, request.verifyTLS ? 2 : 0),
            lb_curl_setopt_long(handle, CURLOPT_CERTINFO, request.url.lowercased().hasPrefix("https:") ? 1 : 0),
            lb_curl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1),
            lb_curl_setopt_string(handle, CURLOPT_USERAGENT, request.userAgent),
            lb_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList),
            lb_curl_setopt_slist(handle, CURLOPT_CONNECT_TO, connectToList),
            lb_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, bodySinkWrite),
            lb_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque()),
            request.caFile.map { lb_curl_setopt_string(handle, CURLOPT_CAINFO, $0) } ?? CURLE_OK,
            // "host!" makes libcurl take it as an address, never an interface name to look up.
            request.clientCertificate.map { lb_curl_setopt_string(handle, CURLOPT_SSLCERT, $0.certFile) } ?? CURLE_OK,
            request.clientCertificate.map { lb_curl_setopt_string(handle, CURLOPT_SSLKEY, $0.keyFile) } ?? CURLE_OK,
            request.sourceAddress.map { lb_curl_setopt_string(handle, CURLOPT_INTERFACE, "host!\($0)") } ?? CURLE_OK,
            request.postBody.map { lb_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, $0.utf8.count) } ?? CURLE_OK,
            request.postBody.map { lb_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, $0) } ?? CURLE_OK,
        ]
        if let failed = results.first(where: { $0 != CURLE_OK }) {
            throw CurlTransfer.error(failed, osErrno: 0, message: "")
        }
    }

    deinit {
        curl_slist_free_all(headerList)
        curl_slist_free_all(connectToList)
        errorBuffer.deallocate()
    }

    /// The response, or the classified error, for a transfer that ended with `code`.
    func result(_ code: CURLcode) throws(NativeClientError) -> HTTPResponse {
        // A write error we caused on purpose only means the body was longer than we keep.
        guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.truncated) else {
            var osErrno = 0
            _ = lb_curl_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
            var error = Self.error(code, osErrno: Int32(osErrno), message: String(cString: errorBuffer))
            error.connected = timings().connect > .zero
            throw error
        }
        var status = 0
        _ = lb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, body: sink.bytes, bodyTruncated: sink.truncated, timings: timings(),
                            certificateExpiry: certificateExpiry())
    }

    private func timings() -> HTTPTimings {
        func info(_ what: CURLINFO) -> Duration {
            var microseconds: curl_off_t = 0
            _ = lb_curl_getinfo_off_t(handle, what, &microseconds)
            return .microseconds(microseconds)
        }
        return HTTPTimings(
            connect: info(CURLINFO_CONNECT_TIME_T), tls: info(CURLINFO_APPCONNECT_TIME_T),
            firstByte: info(CURLINFO_STARTTRANSFER_TIME_T), total: info(CURLINFO_TOTAL_TIME_T))
    }

    /// The leaf certificate's expiry as seconds since 1970, from curl's certificate info.
    private func certificateExpiry() -> Int? {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard lb_curl_getinfo_certinfo(handle, &info) == CURLE_OK, let info, info.pointee.num_of_certs > 0,
              var entry = info.pointee.certinfo[0] else { return nil }
        while true {
            let text = String(cString: entry.pointee.data)
            if text.hasPrefix("Expire date:") {
                var parts = tm()
                let parsed = String(text.dropFirst("Expire date:".count)).withCString { strptime($0, "%b %d %H:%M:%S %Y GMT", &parts) }
                return parsed == nil ? nil : timegm(&parts)
            }
            guard let next = entry.pointee.next else { return nil }
            entry = next
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// Converts a curl code into a classified error, keeping curl's message; a failed connect
    /// is told apart by the socket's errno, which curl's message does not always name.
    static func error(_ code: CURLcode, osErrno: Int32, message: String) -> NativeClientError {
        var text = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        // curl does not keep socket()'s errno when it cannot open one: try it ourselves.
        let shortage = code == CURLE_COULDNT_CONNECT && osErrno == 0 ? NativeClientError.localShortage() : nil
        let kind: NativeClientError.Kind
        switch code {
        case _ where NativeClientError.localErrnos.contains(osErrno), CURLE_OUT_OF_MEMORY:
            kind = .local
        case _ where shortage != nil:
            kind = .local
            text += " (this host cannot open a socket: \(String(cString: strerror(shortage ?? 0))))"
        case CURLE_COULDNT_CONNECT:
            switch osErrno {
            case ECONNREFUSED: kind = .refused
            case ETIMEDOUT: kind = .timeout
            default: kind = text.lowercased().contains("timed out") ? .timeout : .connection
            }
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .resolve
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_USE_SSL_FAILED,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_SHUTDOWN_FAILED:
            kind = .tls
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR: kind = .connection
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING: kind = .protocolError
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION:
            kind = .usage
        default: kind = .other
        }
        return NativeClientError(kind: kind, library: "curl", code: Int(code.rawValue), message: text)
    }
}

/// Collects up to `limit` bytes of the body for the transfer's duration.
final class BodySink {
    let limit: Int
    var bytes: [UInt8] = []
    var truncated = false

    init(limit: Int) {
        self.limit = limit
    }
}

/// libcurl's write callback: appends to the `BodySink` passed as `CURLOPT_WRITEDATA`.
private func bodySinkWrite(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let user else { return 0 }
    let sink = Unmanaged<BodySink>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    let kept = min(sink.limit - sink.bytes.count, length)
    if kept > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: kept) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: kept)) }
    }
    guard kept == length else {
        sink.truncated = true
        return 0  // stop the transfer: we have all we look at
    }
    return length
}
