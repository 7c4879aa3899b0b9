import LifeboatConfig
import LifeboatTestSupport
import Testing

@Suite("[cluster]: its keys checked, defaults, TLS and an etcd user")
struct ClusterConfigTests {
    static let cluster = """
        [cluster]
        name = "example-www"
        site = "offsite-a"
        etcd = ["http://10.1.0.1:2379", "http://10.2.0.1:2379", "http://10.3.0.1:2379"]
        """

    @Test("standalone when absent")
    func absent() throws {
        #expect(try load(minimalConfig).cluster == nil)
    }

    @Test("a valid table is read with its defaults: executor, lease 10 s, quorum 2")
    func valid() throws {
        let cluster = try #require(try load(minimalConfig + Self.cluster + "\nsource_address = \"10.1.0.10\"\n").cluster)
        #expect(cluster.name == "example-www" && cluster.site == "offsite-a" && cluster.role == .executor)
        #expect(cluster.etcd == ["http://10.1.0.1:2379", "http://10.2.0.1:2379", "http://10.3.0.1:2379"])
        #expect(cluster.leaseTTL == .seconds(10) && cluster.quorum == 2 && cluster.sourceAddress?.description == "10.1.0.10")
    }

    @Test("an etcd user with its password file, and TLS files, are read")
    func userAndTLS() throws {
        let text = minimalConfig + Self.cluster.replacingFirst("http://10.1.0.1:2379", with: "https://10.1.0.1:2379") + """

            user = "lifeboat"
            password_file = "/etc/lifeboat/etcd.pw"
            ca_file = "/etc/lifeboat/etcd-ca.pem"
            cert_file = "/etc/lifeboat/etcd-client.pem"
            key_file = "/etc/lifeboat/etcd-client.key"

            """
        let cluster = try #require(try load(text).cluster)
        #expect(cluster.etcd.first == "https://10.1.0.1:2379")
        #expect(cluster.user == "lifeboat" && cluster.passwordFile == "/etc/lifeboat/etcd.pw")
        #expect(cluster.caFile == "/etc/lifeboat/etcd-ca.pem" && cluster.certFile == "/etc/lifeboat/etcd-client.pem"
                && cluster.keyFile == "/etc/lifeboat/etcd-client.key")
    }

    @Test("each bad key is named", arguments: [
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
        #expect(found.first?.keyPath == keyPath, "\(found)")
        #expect(found.first?.message == message, "\(found.first?.message ?? "")")
    }
}
