import Foundation
import LifeboatConfig
import LifeboatTestSupport
import Testing

@Suite("[cluster]: its keys checked, defaults, what is not available yet named")
struct ClusterConfigTests {
    static let cluster = """
        [cluster]
        name = "example-www"
        site = "offsite-a"
        etcd = ["http://10.1.0.1:2379", "http://10.2.0.1:2379", "http://10.3.0.1:2379"]
        """
    static let notYet = "etcd client certificates and users are not available in this version yet: use etcd on a private network or loopback (ca_file with https:// URLs works)"

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

    @Test("etcd users and client certificates are refused, naming the key")
    func notYetAvailable() throws {
        let passwordFile = NSTemporaryDirectory() + "lifeboat-etcd-\(UUID().uuidString).pw"
        try "secret\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        let found = problems(minimalConfig + Self.cluster + "\nuser = \"lifeboat\"\npassword_file = \"\(passwordFile)\"\n")
        #expect(found.map(\.keyPath) == ["cluster.user", "cluster.password_file"] && found.allSatisfy { $0.message == Self.notYet }, "\(found)")
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
