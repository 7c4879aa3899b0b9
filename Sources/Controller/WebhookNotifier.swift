import Foundation
public import LifeboatConfig
public import LifeboatCore
public import Logging
public import NativeClients
import SystemIO

/// Posts each state change and failed step to the `[[notify]]` webhooks as JSON with a
/// Slack-compatible `text`. Never blocks the caller: every POST runs in its own task, retried
/// after 1, 2, 4 … s (at most 60 s apart) up to `retries` more times. The URL and headers are
/// read from their files for each POST, and only the URL's host is logged.
public struct WebhookNotifier: Sendable {
    private let webhooks: [WebhookSettings]
    private let curl: CurlMulti
    private let logger: Logger
    private let host: String

    /// The payload of one POST.
    struct Payload: Encodable {
        let text: String
        let service: String
        let kind: String
        let phase: String
        let message: String
        let at: Date
        let host: String
    }

    /// Creates the notifier (nothing is sent until `notify`).
    public init(webhooks: [WebhookSettings], curl: CurlMulti, logger: Logger) {
        self.webhooks = webhooks
        self.curl = curl
        self.logger = logger
        self.host = ProcessInfo.processInfo.hostName
    }

    /// Sends `notice` about `service` to every webhook, in the background.
    public func notify(service: String, _ notice: FailoverNotice) {
        guard !webhooks.isEmpty else { return }
        let icon = switch notice.kind {
        case .stateChanged: notice.phase == .standbyActive ? ":rotating_light:" : ":information_source:"
        case .stepFailed, .sequenceStopped: ":x:"
        case .blocked: ":warning:"
        case .preflight: notice.message.hasPrefix("preflight ok") ? ":white_check_mark:" : ":warning:"
        case .local: ":fire:"
        case .coordination: ":satellite_antenna:"
        case .refresh: ":arrows_counterclockwise:"
        case .refreshProblem: ":x:"
        }
        let payload = Payload(
            text: "\(icon) Lifeboat \(service): \(notice.phase.rawValue) — \(notice.message)", service: service,
            kind: notice.kind.rawValue, phase: notice.phase.rawValue, message: notice.message, at: Date(), host: host)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        guard let body = try? String(decoding: encoder.encode(payload), as: UTF8.self) else { return }
        for webhook in webhooks {
            Task { await post(body, to: webhook) }
        }
    }

    private func post(_ body: String, to webhook: WebhookSettings) async {
        var delay = Duration.seconds(1)
        for attempt in 0...webhook.retries {
            var target = "webhook"
            do {
                let url: String
                switch webhook.target {
                case .url(let text): url = text
                case .file(let path): url = try SecretFile.read(path)
                }
                target = (try? HTTPURL.parse(url).map(\.host).get()) ?? "webhook"
                let headers = try webhook.headersFile.map { try SecretFile.read($0) }?
                    .split(separator: "\n").map { String($0) }.filter { $0.contains(":") } ?? []
                let response = try await curl.perform(HTTPRequest(
                    url: url, timeout: webhook.timeout, headers: ["Content-Type: application/json"] + headers,
                    maxBodyBytes: 4096, userAgent: "Lifeboat/\(LifeboatVersion.string) (webhook)", postBody: body))
                if (200..<300).contains(response.status) { return }
                logger.warning("webhook.failed", metadata: ["webhook.host": "\(target)", "http.status": "\(response.status)", "webhook.attempt": "\(attempt + 1)"])
            } catch {
                logger.warning("webhook.failed", metadata: ["webhook.host": "\(target)", "error": "\(error)", "webhook.attempt": "\(attempt + 1)"])
            }
            guard attempt < webhook.retries else { break }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(60))
        }
        logger.error("webhook.gave_up", metadata: ["webhook.tries": "\(webhook.retries + 1)"])
    }
}
