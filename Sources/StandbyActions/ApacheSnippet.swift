public import LifeboatConfig

/// The Apache configuration snippet of read-only mode: `SetEnv readonly yes` for the theme, and
/// a friendly 503 page for writes (POST/PUT/PATCH/DELETE) and the login, registration and
/// password pages, except from the admin allowlist. Needs mod_env and mod_alias (mod_headers
/// adds `X-Lifeboat-Readonly` and `Retry-After` where it is loaded).
public enum ApacheSnippet {
    /// The marker in the 503 page by which verification knows the refusal is Lifeboat's.
    public static let marker = "<!-- lifeboat-readonly -->"

    /// The snippet for `service`.
    public static func text(service: String, adminAllow: [IPNetwork]) -> String {
        let writes = "%{REQUEST_METHOD} in {'POST', 'PUT', 'PATCH', 'DELETE'}"
        let loginPaths = "%{REQUEST_URI} =~ m#^/+(index\\.php/+)?user(/+(login|register|password|reset(/.*)?))?/*$#"
        let loginQuery = "%{QUERY_STRING} =~ m#(^|&)q=user(/|%2F|&|$)#i"
        var condition = "(\(writes) || \(loginPaths) || \(loginQuery))"
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
            <IfModule mod_headers.c>
                Header always set X-Lifeboat-Readonly "yes"
            </IfModule>
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
