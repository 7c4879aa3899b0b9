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
