import Foundation
public import LifeboatConfig
import LifeboatCore
public import NativeClients

/// An `http` check: GET over a pinned address on the shared curl multi handle.
public struct HTTPProbe: Probe {
    public let name: String
    private let settings: HTTPCheckSettings
    private let timeout: Duration
    private let curl: CurlMulti
    private let sourceAddress: String?
    private let retry = ConnectRetry()

    /// Creates the probe for a configured check.
    public init(name: String, settings: HTTPCheckSettings, timeout: Duration, curl: CurlMulti, sourceAddress: String? = nil) {
        self.sourceAddress = sourceAddress
        self.name = name
        self.settings = settings
        self.timeout = timeout
        self.curl = curl
    }

    public func run() async -> ProbeResult {
        let started = ContinuousClock.now
        let deadline = started + timeout
        // No cache may answer for the site: a cached page must not hide a dead database.
        var request = HTTPRequest(
            url: settings.url, connectAddress: settings.connectTo.address.description, connectPort: settings.connectTo.port,
            timeout: timeout, headers: ["Cache-Control: no-cache", "Pragma: no-cache"], maxBodyBytes: 65536,
            caFile: settings.caFile, verifyTLS: !settings.insecure, userAgent: ProbeIdentity.userAgent, sourceAddress: sourceAddress)
        var response: HTTPResponse?
        var retried = 0
        while response == nil {
            let remaining = deadline - ContinuousClock.now
            let limit = retry.limit(remaining: remaining)
            request.timeout = remaining
            request.connectTimeout = limit < remaining ? limit : nil
            do {
                response = try await curl.perform(request)
            } catch let error as NativeClientError where error.kind == .timeout && error.connected == false && limit < remaining {
                retried += 1  // the SYN or its answer was lost, most likely: connect afresh
            } catch let error as NativeClientError {
                return .failed(name, FailureReason(error), error.message + Self.note(retried), ContinuousClock.now - started)
            } catch {
                return .failed(name, .connection, "\(error)", ContinuousClock.now - started)
            }
        }
        guard let response else { return .failed(name, .timeout, "no response", ContinuousClock.now - started) }
        retry.record(response.timings.connect)
        var result = evaluate(response)
        result.message += Self.note(retried)
        result.duration = ContinuousClock.now - started
        result.httpStatus = response.status
        result.timings = response.timings
        result.certificateDaysLeft = response.certificateExpiry.map { ($0 - Int(Date().timeIntervalSince1970)) / 86400 }
        return result
    }

    /// " (connected on try 2)" after a retried connect.
    static func note(_ retried: Int) -> String { retried == 0 ? "" : " (connected on try \(retried + 1))" }

    private func evaluate(_ response: HTTPResponse) -> ProbeResult {
        let statusOK = settings.expectStatus.isEmpty ? (200...399).contains(response.status) : settings.expectStatus.contains(response.status)
        guard statusOK else {
            let expected = settings.expectStatus.isEmpty ? "200-399" : settings.expectStatus.map(String.init).joined(separator: ",")
            return .failed(name, .httpStatus, "status \(response.status), expected \(expected)", .zero)
        }
        let body = String(decoding: response.body, as: UTF8.self)
        if let expected = settings.expectBody, !body.contains(expected) {
            return .failed(name, .bodyMismatch, "the first \(response.body.count) bytes do not contain \"\(expected)\"", .zero)
        }
        if let pattern = settings.expectBodyRegex, let regex = try? Regex(pattern), (try? regex.firstMatch(in: body)) == nil {
            return .failed(name, .bodyMismatch, "the first \(response.body.count) bytes do not match /\(pattern)/", .zero)
        }
        return .passed(name, .zero, "status \(response.status)")
    }
}
