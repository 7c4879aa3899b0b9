import LifeboatConfig
import LifeboatTestSupport
import Testing

@Suite("[cluster]: its keys checked, and refused until cluster mode is wired in")
struct ClusterConfigTests {
    static let cluster = """
        [cluster]
        name = "example-www"
        site = "offsite-a"
        etcd = ["http://10.1.0.1:2379", "http://10.2.0.1:2379", "http://10.3.0.1:2379"]
        """
    static let refusal = "cluster mode is not available in this version yet: remove [cluster] to run this instance standalone"

    @Test("standalone when absent")
    func absent() throws {
        #expect(try load(minimalConfig).cluster == nil)
    }

    @Test("a valid table is refused as a whole, naming [cluster], so nobody believes the sites agree")
    func validButRefused() {
        let found = problems(minimalConfig + Self.cluster + "\n")
        #expect(found.map(\.keyPath) == ["cluster"] && found.first?.message == Self.refusal, "\(found)")
    }

    @Test("each bad key is named, before the refusal", arguments: [
        ("name = \"example-www\"", "name = \"Example\"", "cluster.name", "expected lower-case letters, digits and '-', got \"Example\""),
        ("site = \"offsite-a\"", "site = \"offsite-a\"\nlease_ttl = \"2s\"", "cluster.lease_ttl", "must be at least 5s, got \"2s\""),
        ("site = \"offsite-a\"", "site = \"offsite-a\"\nrole = \"boss\"", "cluster.role", "expected \"executor\" or \"observer\", got a string (\"boss\")"),
        ("\"http://10.1.0.1:2379\", ", "\"http://etcd.example:2379\", ", "cluster.etcd[0]",
         "expected an etcd client URL with an IP address, e.g. \"http://10.1.0.1:2379\", got \"http://etcd.example:2379\""),
        ("site = \"offsite-a\"", "site = \"offsite-a\"\nuser = \"lifeboat\"", "cluster.password_file", "missing; user and password_file go together"),
        ("site = \"offsite-a\"", "site = \"offsite-a\"\ncert_file = \"/etc/lifeboat/etcd.crt\"", "cluster.key_file", "missing; cert_file and key_file go together"),
    ])
    func badKey(_ replace: String, _ with: String, _ keyPath: String, _ message: String) {
        let found = problems(minimalConfig + Self.cluster.replacingFirst(replace, with: with) + "\n")
        #expect(found.map(\.keyPath) == [keyPath, "cluster"], "\(found)")
        #expect(found.first?.message == message, "\(found.first?.message ?? "")")
    }
}
