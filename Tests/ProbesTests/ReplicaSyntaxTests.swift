@testable import Probes
import Testing

@Suite("Which replica status statement a server takes")
struct ReplicaSyntaxTests {
    @Test(arguments: [
        ("10.11.19-MariaDB-0+deb12u1", false), ("11.4.2-MariaDB", false), ("8.0.22", true), ("8.0.21", false),
        ("8.4.0-log", true), ("9.1.0", true), ("5.7.44-log", false), ("", false),
    ])
    func syntax(_ version: String, _ replica: Bool) {
        #expect(ReplicaStatus.usesReplicaSyntax(version: version) == replica)
    }
}
