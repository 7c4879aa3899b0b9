import ArgumentParser
import Foundation
import LifeboatConfig
import LifeboatCore
import NativeClients
import SystemIO

/// Talks to a running lifeboatd over its `/api/v1`. The URL and token come from flags or from
/// the configuration (`http.listen`, `http.token_file`); the token never goes on a command line.
struct DaemonClient {
    let baseURL: String
    let tokenFile: String?

    /// Why the daemon could not be asked: exit code 3 with a hint.
    struct Unreachable: Error, CustomStringConvertible {
        let url: String
        let message: String
        var description: String {
            "cannot reach lifeboatd at \(url): \(message)\nIs it running? (systemctl status lifeboatd; journalctl -u lifeboatd)"
        }
    }

    func get(_ path: String) throws -> (status: Int, body: Data) {
        try perform(path, post: nil)
    }

    func post(_ path: String, json: String) throws -> (status: Int, body: Data) {
        try perform(path, post: json)
    }

    private func perform(_ path: String, post: String?) throws -> (status: Int, body: Data) {
        var headers: [String] = []
        if post != nil {
            headers.append("Content-Type: application/json")
            if let tokenFile {
                headers.append("Authorization: Bearer \(try SecretFile.read(tokenFile))")
            }
        }
        let request = HTTPRequest(
            url: baseURL + path, timeout: .seconds(10), headers: headers, maxBodyBytes: 8 << 20,
            userAgent: "lifeboat-cli/\(LifeboatCommand.version)", postBody: post)
        do {
            let response = try CurlEasy().perform(request)
            return (response.status, Data(response.body))
        } catch {
            throw Unreachable(url: baseURL, message: error.message)
        }
    }
}

/// `--config`, `--url`, `--token-file`: where the daemon's API is.
struct APIOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (for http.listen and http.token_file).")
    var config: String = ConfigLoader.defaultPath

    @Option(name: .long, help: "The daemon's URL, e.g. http://127.0.0.1:8053 (default: from http.listen).")
    var url: String?

    @Option(name: .long, help: "The file holding the control token (default: http.token_file).")
    var tokenFile: String?

    /// The client, reading the configuration only for what the flags leave open.
    func client() throws -> DaemonClient {
        if let url, let tokenFile { return DaemonClient(baseURL: Self.trimmed(url), tokenFile: tokenFile) }
        let http: HTTPSettings
        do {
            http = try ConfigLoader.load(path: config).http
        } catch {
            if let url { return DaemonClient(baseURL: Self.trimmed(url), tokenFile: tokenFile) }
            throw CLIUsageError(message: "\(error.description)\n(give --url and --token-file to skip the configuration)")
        }
        let host = http.listen.address.description
        let reachable = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "[::1]" : http.listen.address.isIPv6 ? "[\(host)]" : host
        return DaemonClient(
            baseURL: Self.trimmed(url ?? "http://\(reachable):\(http.listen.port)"), tokenFile: tokenFile ?? http.tokenFile)
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}

/// A usage or configuration problem: exit code 2.
struct CLIUsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
