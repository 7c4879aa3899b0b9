import CCurl
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Many HTTP requests at once on one libcurl multi handle, driven by a thread of its own, so no
/// event loop or cooperative thread ever blocks on the network. `perform` suspends until done.
public final class CurlMulti: Sendable {
    /// The multi handle, used only by the driving thread (and `curl_multi_wakeup`, which is thread-safe).
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var pending: [Pending] = []
        var stopping = false
    }

    /// A submitted request and who waits for it. Safe to send: only the driving thread touches it after submission.
    private struct Pending: @unchecked Sendable {
        let request: HTTPRequest
        let continuation: CheckedContinuation<HTTPResponse, any Error>
    }

    /// Creates the multi handle and starts its thread.
    public init() throws(NativeClientError) {
        guard curlGlobalInit == CURLE_OK, let multi = curl_multi_init() else {
            throw NativeClientError(kind: .other, library: "curl", code: 0, message: "curl_multi_init failed")
        }
        self.multi = multi
        let thread = ThreadBox(self)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        var id = pthread_t()
        let created = pthread_create(&id, &attributes, { box in
            Unmanaged<ThreadBox>.fromOpaque(box!).takeRetainedValue().multi.drive()
            return nil
        }, Unmanaged.passRetained(thread).toOpaque())
        pthread_attr_destroy(&attributes)
        guard created == 0 else {
            curl_multi_cleanup(multi)
            throw NativeClientError(kind: .other, library: "curl", code: Int(created), message: "cannot start the curl thread")
        }
        pthread_detach(id)
    }

    /// Performs `request`; throws a `NativeClientError` on failure.
    public func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state -> Bool in
                guard !state.stopping else { return false }
                state.pending.append(Pending(request: request, continuation: continuation))
                return true
            }
            if accepted {
                curl_multi_wakeup(multi)
            } else {
                continuation.resume(throwing: NativeClientError(kind: .usage, library: "curl", code: 0, message: "CurlMulti is shut down"))
            }
        }
    }

    /// Stops accepting requests; the thread finishes the transfers under way, then frees the handle.
    public func shutdown() {
        state.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    /// The driving loop: add new transfers, let curl work, hand out finished ones, wait.
    private func drive() {
        var active: [UnsafeMutableRawPointer: (CurlTransfer, CheckedContinuation<HTTPResponse, any Error>)] = [:]
        while true {
            let (newRequests, stopping) = state.withLock { state -> ([Pending], Bool) in
                defer { state.pending.removeAll() }
                return (state.pending, state.stopping)
            }
            for pending in newRequests {
                guard let handle = curl_easy_init() else {
                    pending.continuation.resume(throwing: NativeClientError(kind: .other, library: "curl", code: 0, message: "curl_easy_init returned NULL"))
                    continue
                }
                do {
                    let transfer = try CurlTransfer(handle: handle, request: pending.request)
                    curl_multi_add_handle(multi, handle)
                    active[handle] = (transfer, pending.continuation)
                } catch {
                    curl_easy_cleanup(handle)
                    pending.continuation.resume(throwing: error)
                }
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                      let (transfer, continuation) = active.removeValue(forKey: handle) else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, handle)
                do {
                    continuation.resume(returning: try transfer.result(code))
                } catch {
                    continuation.resume(throwing: error)
                }
                curl_easy_cleanup(handle)
            }
            if stopping && active.isEmpty { break }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        curl_multi_cleanup(multi)
    }

    /// Carries the multi object to its thread.
    private final class ThreadBox {
        let multi: CurlMulti
        init(_ multi: CurlMulti) { self.multi = multi }
    }
}
