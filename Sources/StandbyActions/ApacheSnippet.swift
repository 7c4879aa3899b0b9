public import Foundation
public import LifeboatConfig
public import LifeboatCore

/// The Apache configuration snippet of read-only mode: `SetEnv readonly yes` for the theme, and
/// a friendly 503 page for writes (POST/PUT/PATCH/DELETE) and the login, registration and
/// password pages, except from the admin allowlist. Needs mod_env and mod_alias (mod_headers
/// adds `X-Lifeboat-Readonly` and `Retry-After` where it is loaded).
public enum ApacheSnippet {
    /// The marker in the 503 page by which verification knows the refusal is Lifeboat's.
    public static let marker = "<!-- lifeboat-readonly -->"

    /// The part of the condition that matches Drupal's `user` pages (login, registration,
    /// password reset, `user/*`) however the request names them.
    ///
    /// It looks at the request line (`THE_REQUEST`), percent-decoded: path and query in one
    /// string that stays the same through Drupal's clean-URL rewrite (in the internal redirect to
    /// `index.php`, `REQUEST_URI` is `/index.php`). The previous rule on `REQUEST_URI` and the raw
    /// `QUERY_STRING` let `/USER/LOGIN`, `?q=%75ser/login`, `/user/2`, `/fr/user/login` and a base
    /// path through on the lab's Apache 2.4 (ReadOnlyURLMatrixTests shows both).
    /// Case-insensitive, as Drupal's router is; any number of slashes; `index.php/…`; the base
    /// path (optional) and a language prefix; `?q=` anywhere in the query, with `/` or `%2F` after `user`
    /// (`unescape` leaves encoded slashes encoded).
    static func userPages(basePath: String, languagePrefixes: [String]) -> String {
        // The base path is optional: refusing /user/login outside Drupal's base path costs nothing.
        let segments = basePath.split(separator: "/").map { regexLiteral(String($0)) + "/+" }.joined()
        let base = segments.isEmpty ? "" : "(\(segments))?"
        let language = languagePrefixes.isEmpty ? "" : "((" + languagePrefixes.map(regexLiteral).joined(separator: "|") + ")/+)?"
        let user = "user(/|%2f|\\?|&|\\s|$)"
        let path = "^\\S+\\s+([a-z][a-z0-9+.-]*://[^/\\s]*)?/+\(base)(index\\.php/*)?\(language)\(user)"
        let query = "[?&]q=/*\(language)\(user)"
        return "unescape(%{THE_REQUEST}) =~ m#\(path)|\(query)#i"
    }

    private static func factLines(_ facts: ServingFacts) -> String {
        "SetEnv lifeboat_since \(ServingFacts.text(facts.since))\n"
            + (facts.dataAsOf.map { "SetEnv lifeboat_data_as_of \(ServingFacts.text($0))\n" } ?? "")
    }

    /// The `lifeboat_data_as_of` a snippet written earlier holds (a restarted failover keeps it).
    public static func dataAsOf(in snippet: String) -> Date? {
        guard let line = snippet.split(separator: "\n").first(where: { $0.hasPrefix("SetEnv lifeboat_data_as_of ") }) else { return nil }
        return try? Date(String(line.dropFirst("SetEnv lifeboat_data_as_of ".count)), strategy: .iso8601)
    }

    /// `text` with regular-expression metacharacters escaped.
    private static func regexLiteral(_ text: String) -> String {
        var out = ""
        for character in text {
            if ".^$*+?()[]{}|\\-#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The snippet for `service`. `basePath` is Drupal's `$base_path` (`/`, `/drupal/`);
    /// `languagePrefixes` the path prefixes of its language negotiation (`en`, `fr`).
    /// `facts` adds `SetEnv lifeboat_since` and `lifeboat_data_as_of` (ISO 8601, UTC) and the
    /// `X-Lifeboat-Data-As-Of` header, for the theme's "as of" line.
    public static func text(
        service: String, adminAllow: [IPNetwork], basePath: String = "/", languagePrefixes: [String] = [], facts: ServingFacts? = nil
    ) -> String {
        let writes = "%{REQUEST_METHOD} in {'POST', 'PUT', 'PATCH', 'DELETE'}"
        var condition = "(\(writes) || \(userPages(basePath: basePath, languagePrefixes: languagePrefixes)))"
        for network in adminAllow { condition += " && ! -R '\(network)'" }
        let page = "<!doctype html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
            + "<title>Read-only for now</title></head><body style='font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em'>"
            + "<h1>Read-only for now</h1><p>This site is running from its standby copy while the main server is repaired. "
            + "You can read everything, but logging in, registering and saving changes are switched off for now.</p>"
            + "<p>Please come back soon.</p>\(marker)</body></html>"
        return """
            # Written by Lifeboat: read-only mode of service "\(service)" while the standby serves.
            # Lifeboat removes this file on failback; do not edit it.
            SetEnv readonly yes
            \(facts.map(factLines) ?? "")<IfModule mod_headers.c>
                Header always set X-Lifeboat-Readonly "yes"
            \(facts?.dataAsOf.map { "    Header always set X-Lifeboat-Data-As-Of \"\(ServingFacts.text($0))\"\n" } ?? "")</IfModule>
            <If "\(condition)">
                ErrorDocument 503 "\(page)"
                <IfModule mod_headers.c>
                    Header always set Retry-After "300"
                </IfModule>
                Redirect 503
            </If>

            """
    }
}
