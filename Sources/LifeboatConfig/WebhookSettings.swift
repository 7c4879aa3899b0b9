/// `[[notify]]`: a webhook that hears every state change and failed step.
public struct WebhookSettings: Sendable, Equatable {
    /// Where the URL comes from: written in the config, or read from a file (a Slack webhook URL
    /// is itself a secret).
    public enum Target: Sendable, Equatable {
        /// `url = "https://…"`.
        case url(String)
        /// `url_file = "/etc/lifeboat/slack.url"`.
        case file(String)
    }

    /// `url` or `url_file`: exactly one. Logged only as its host.
    public var target: Target
    /// `headers_file`: optional file of `Name: value` lines sent with each POST (e.g. a token).
    public var headersFile: String?
    /// `timeout` of one POST. Default 5 s.
    public var timeout: Duration
    /// `retries`: further tries after a failed POST (1, 2, 4 … s apart). Default 5.
    public var retries: Int

    /// Creates the settings.
    public init(target: Target, headersFile: String?, timeout: Duration, retries: Int) {
        self.target = target
        self.headersFile = headersFile
        self.timeout = timeout
        self.retries = retries
    }
}
