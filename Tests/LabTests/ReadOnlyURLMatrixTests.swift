import Foundation
import LifeboatTestSupport
import LifeboatConfig
import Testing
import StandbyActions

extension LabSuites {
/// The read-only snippet's refusals on the real Apache in front of the lab's Drupal-like site:
/// every way a request can name a `user` page is refused, the rest is served, and the admin
/// allowlist gets through everywhere. Each refused GET is first shown to reach a user page (or
/// Drupal's 404) without the snippet, so the matrix tests the rules, not a typo.
@Suite("Read-only URL rules on the real Apache")
struct ReadOnlyURLMatrixTests {
    /// Refused with Lifeboat's 503 page; served (Drupal answers); or Apache itself answers 404
    /// before any rule or Drupal runs (`%2F` in a path, `AllowEncodedSlashes Off`).
    enum Expect { case refused, served, apacheNotFound }

    struct Case: CustomTestStringConvertible, Sendable {
        let method: String
        let target: String
        let expect: Expect
        /// Without the snippet, Drupal shows a user page (login, register, password) for it.
        let userPage: Bool
        var testDescription: String { "\(method) \(target)" }
    }

    /// README's table, row for row (base_path "/drupal/", language_prefixes ["en", "fr"]).
    static let cases: [Case] = [
        Case(method: "GET", target: "/user/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/USER/LOGIN", expect: .refused, userPage: true),
        Case(method: "GET", target: "/User/Login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/%75ser/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/user%2flogin", expect: .apacheNotFound, userPage: false),
        Case(method: "GET", target: "/user/login/", expect: .refused, userPage: true),
        Case(method: "GET", target: "//user//login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/user", expect: .refused, userPage: true),
        Case(method: "GET", target: "/user/", expect: .refused, userPage: true),
        Case(method: "GET", target: "/user/register", expect: .refused, userPage: true),
        Case(method: "GET", target: "/user/password", expect: .refused, userPage: true),
        Case(method: "GET", target: "/user/reset/2/1700000000/abc/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/user/2", expect: .refused, userPage: true),
        Case(method: "GET", target: "/?q=user/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/?q=%75ser/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/?q=USER%2Flogin", expect: .refused, userPage: true),
        Case(method: "GET", target: "/?%71=user/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/?page=2&q=user", expect: .refused, userPage: true),
        Case(method: "GET", target: "/index.php?q=user/register", expect: .refused, userPage: true),
        Case(method: "GET", target: "/index.php/user/login", expect: .refused, userPage: false),  // Drupal: 404
        Case(method: "GET", target: "/en/user/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/FR/User/Password", expect: .refused, userPage: true),
        Case(method: "GET", target: "/?q=fr/user/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/drupal/user/login", expect: .refused, userPage: true),
        Case(method: "GET", target: "/Drupal/USER", expect: .refused, userPage: false),  // Apache: no such directory
        Case(method: "GET", target: "/drupal/index.php?q=user/password", expect: .refused, userPage: true),
        Case(method: "GET", target: "/drupal/fr/user/register", expect: .refused, userPage: true),
        Case(method: "GET", target: "http://www.example.com/user/login", expect: .refused, userPage: false),  // PHP's REQUEST_URI is the absolute URI: Drupal 404s
        Case(method: "HEAD", target: "/user/login", expect: .refused, userPage: false),
        Case(method: "GET", target: "/", expect: .served, userPage: false),
        Case(method: "GET", target: "/node/1", expect: .served, userPage: false),
        Case(method: "GET", target: "/?q=node/1", expect: .served, userPage: false),
        Case(method: "GET", target: "/node/1?destination=user/login", expect: .served, userPage: false),
        Case(method: "GET", target: "/users", expect: .served, userPage: false),
        Case(method: "GET", target: "/fr/node/2", expect: .served, userPage: false),
        Case(method: "GET", target: "/drupal/", expect: .served, userPage: false),
        Case(method: "GET", target: "/drupal/node/1", expect: .served, userPage: false),
        Case(method: "GET", target: "/static.txt", expect: .served, userPage: false),
        Case(method: "POST", target: "/", expect: .refused, userPage: false),
        Case(method: "POST", target: "/node/1", expect: .refused, userPage: false),
        Case(method: "POST", target: "/user/login", expect: .refused, userPage: false),
        Case(method: "POST", target: "/drupal/?q=user/login", expect: .refused, userPage: false),
        Case(method: "PUT", target: "/node/1", expect: .refused, userPage: false),
        Case(method: "PATCH", target: "/node/1", expect: .refused, userPage: false),
        Case(method: "DELETE", target: "/node/1", expect: .refused, userPage: false),
    ]

    struct Answer {
        let status: Int
        let body: String
        var refusedByLifeboat: Bool { status == 503 && body.contains(ApacheSnippet.marker) }
        /// Drupal's user pages: the login, registration or password form.
        var userPage: Bool { body.contains("id=\"user-login\"") || body.contains("Create new account") || body.contains("Request new password") }
    }

    /// The request as written: curl with `--path-as-is` keeps `//`, `%75` and the case.
    static func request(_ test: Case, from address: String? = nil) -> Answer {
        let standby = Lab.value("LAB_STANDBY_HTTP")
        var arguments = ["-s", "--path-as-is", "-o", "-", "-w", "\n%{http_code}", "-H", "Host: matrix.example.com"]
        if let address { arguments += ["--interface", address] }
        switch test.method {
        case "HEAD": arguments += ["-I"]
        case "GET": break
        default: arguments += ["-X", test.method, "-d", "name=alice&pass=wrong"]
        }
        if test.target.hasPrefix("http://") {
            arguments += ["--proxy", "http://\(standby)", test.target]
        } else {
            arguments += ["http://\(standby)\(test.target)"]
        }
        let output = Lab.run("/usr/bin/curl", arguments).output
        let status = Int(output.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        return Answer(status: status, body: output)
    }

    @Test("every variant refused or served as the README says; the admin allowlist gets through", .timeLimit(.minutes(2)))
    func matrix() async throws {
        #expect(Self.cases.count >= 25)
        // Without the snippet: the refused GETs reach Drupal's user pages.
        for test in Self.cases where test.userPage {
            let answer = Self.request(test)
            #expect(answer.status == 200 && answer.userPage, "without the snippet, \(test.testDescription) → \(answer.status)")
        }

        let flagFile = Lab.value("LAB_STANDBY_FLAG_FILE")
        let reload = Lab.value("LAB_STANDBY_APACHE_RELOAD")
        defer {
            try? FileManager.default.removeItem(atPath: flagFile)
            _ = Lab.run(reload, [])
        }
        let admin = try IPNetwork.parse("127.0.0.2").get()
        let snippet = ApacheSnippet.text(service: "www", adminAllow: [admin], basePath: "/drupal/", languagePrefixes: ["en", "fr"])
        try snippet.write(toFile: flagFile, atomically: true, encoding: .utf8)
        #expect(Lab.run(Lab.value("LAB_STANDBY_APACHE_CONFIGTEST"), []).status == 0)
        #expect(Lab.run(reload, []).status == 0)
        let login = Self.cases[0]
        #expect(await eventually(within: .seconds(10)) { Self.request(login).refusedByLifeboat }, "the snippet never took effect")

        for test in Self.cases {
            let answer = Self.request(test)
            switch test.expect {
            case .refused:
                #expect(answer.refusedByLifeboat || (test.method == "HEAD" && answer.status == 503), "\(test.testDescription) → \(answer.status), not refused")
                let fromAdmin = Self.request(test, from: "127.0.0.2")
                #expect(fromAdmin.status != 503, "\(test.testDescription) from the admin allowlist → \(fromAdmin.status)")
            case .apacheNotFound:
                #expect(answer.status == 404 && !answer.body.contains("site=standby"), "\(test.testDescription) → \(answer.status)")
            case .served:
                #expect(!answer.refusedByLifeboat && answer.status < 500, "\(test.testDescription) → \(answer.status)")
                #expect(answer.body.contains("readonly=yes") || test.target == "/static.txt", "\(test.testDescription): no readonly flag")
            }
        }
    }
}
}
