import Foundation
import LifeboatCore
import LifeboatConfig
import StandbyActions
import Testing

@Suite("The Apache snippet's text")
struct ApacheSnippetTests {
    @Test("the user-page rule reads the decoded request line, case-insensitively, with base path and languages")
    func userRule() throws {
        let text = ApacheSnippet.text(service: "www", adminAllow: [try IPNetwork.parse("192.0.2.0/24").get()], basePath: "/drupal/", languagePrefixes: ["en", "pt-br"])
        #expect(text.contains("SetEnv readonly yes"))
        #expect(text.contains("unescape(%{THE_REQUEST}) =~ m#"))
        #expect(text.contains("(drupal/+)?"), "base path, optional")
        #expect(text.contains("((en|pt\\-br)/+)?"), "language prefixes, escaped")
        #expect(text.contains("#i"), "case-insensitive like Drupal's router")
        #expect(text.contains("&& ! -R '192.0.2.0/24'"))
        #expect(!text.contains("%{REQUEST_URI}"), "the request line, not REQUEST_URI (/index.php after the rewrite)")
    }
}

@Suite("The Apache snippet's facts for the theme")
struct ApacheSnippetFactsTests {
    @Test("since and the data's age as SetEnv lines and a header, ISO 8601 UTC; read back from a written snippet")
    func facts() throws {
        let since = Date(timeIntervalSince1970: 1_800_000_000)
        let asOf = Date(timeIntervalSince1970: 1_799_999_880)
        let text = ApacheSnippet.text(service: "www", adminAllow: [], facts: ServingFacts(since: since, dataAsOf: asOf))
        #expect(text.contains("SetEnv lifeboat_since 2027-01-15T08:00:00Z\n"))
        #expect(text.contains("SetEnv lifeboat_data_as_of 2027-01-15T07:58:00Z\n"))
        #expect(text.contains("Header always set X-Lifeboat-Data-As-Of \"2027-01-15T07:58:00Z\""))
        #expect(ApacheSnippet.dataAsOf(in: text) == asOf)
        let unknown = ApacheSnippet.text(service: "www", adminAllow: [], facts: ServingFacts(since: since, dataAsOf: nil))
        #expect(unknown.contains("SetEnv lifeboat_since") && !unknown.contains("lifeboat_data_as_of") && !unknown.contains("Data-As-Of"))
        #expect(!ApacheSnippet.text(service: "www", adminAllow: []).contains("lifeboat_since"), "no facts, no lines")
    }
}
